using System.Runtime.InteropServices;

namespace Vigil.Agent.Interop;

/// <summary>The few libc calls the probes need beyond what .NET offers. Errno is read by the caller via Marshal.GetLastPInvokeError.</summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    internal const int AF_NETLINK = 16;
    internal const int SOCK_DGRAM = 2;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int SOL_SOCKET = 1;
    internal const int SO_RCVTIMEO = 20;
    internal const int SO_RCVBUFFORCE = 33;
    internal const int CLOCK_REALTIME = 0;
    internal const int CLOCK_BOOTTIME = 7;
    internal const int CLOCK_MONOTONIC = 1;

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Lib, EntryPoint = "clock_gettime")]
    internal static partial int ClockGetTime(int clock, out Timespec ts);

    [LibraryImport(Lib, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Lib, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(int fd, void* addr, int length);

    [LibraryImport(Lib, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(int fd, void* buffer, nuint length, int flags);

    [LibraryImport(Lib, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(int fd, void* buffer, nuint length, int flags);

    [LibraryImport(Lib, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string source, string target, string fsType, ulong flags, nint data);

    [LibraryImport(Lib, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Stat(string path, out StatBuffer buffer);

    [LibraryImport(Lib, EntryPoint = "mmap", SetLastError = true)]
    internal static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Lib, EntryPoint = "munmap")]
    internal static partial int Munmap(nint address, nuint length);

    internal const int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;

    [LibraryImport(Lib, EntryPoint = "geteuid")]
    internal static partial uint GetEuid();

    /// <summary>x86_64 <c>struct stat</c> (144 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct StatBuffer
    {
        public ulong Dev;
        public ulong Inode;
        public ulong LinkCount;
        public uint Mode;
        public uint Uid;
        public uint Gid;
        public int Pad0;
        public ulong Rdev;
        public long Size;
        public long BlockSize;
        public long Blocks;
        public Timespec AccessTime;
        public Timespec ModificationTime;
        public Timespec ChangeTime;
        public long Reserved0, Reserved1, Reserved2;
    }

    /// <summary>Nanoseconds on a clock (CLOCK_BOOTTIME is what bpf_ktime_get_boot_ns reports).</summary>
    internal static long Now(int clock)
    {
        ClockGetTime(clock, out var ts);
        return ts.Seconds * 1_000_000_000 + ts.Nanoseconds;
    }
}
