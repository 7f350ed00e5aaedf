using System.Runtime.InteropServices;

namespace Vigil.Agent.Protection;

/// <summary>Mirrors of Bpf/protect.h (little-endian x86_64, natural alignment): change both together.</summary>
internal static class ExecGuardMaps
{
    public const int NameMax = 64, Needles = 16, NeedleMax = 32, Rules = 64;
    public const uint Kill = 1, Hold = 2;
    public const uint Performed = 1, RateLimited = 2, AgentStale = 3;

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct Name
    {
        public fixed byte Bytes[NameMax];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Verdict
    {
        public uint Action;
        public uint Rule;
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct Needle
    {
        public uint Length;
        public uint Rule;
        public fixed byte Bytes[NeedleMax];
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct Config
    {
        public uint Enabled;
        public uint NeedleCount;
        public ulong Heartbeat;
        public ulong HoldGrace;
        public fixed ulong FirstBytes[4];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct RuleState
    {
        public uint Armed;
        public uint MaxPerWindow;
        public ulong WindowNs;
        public ulong WindowStart;
        public ulong Count;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ActionRecord
    {
        public ulong Timestamp;
        public uint Rule;
        public uint Kind;
        public uint Outcome;
        public uint Reserved;
    }
}
