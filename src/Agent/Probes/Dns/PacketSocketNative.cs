using System.Runtime.InteropServices;

namespace Vigil.Agent.Probes.Dns;

/// <summary>libc calls for an AF_PACKET capture socket with a classic BPF filter.</summary>
internal static unsafe partial class PacketSocketNative
{
    public const int AfPacket = 17, SockDgram = 2, SockNonBlock = 0x800, SockCloseOnExec = 0x80000;
    public const int SolSocket = 1, SoAttachFilter = 26, SoRcvBuf = 8, SolPacket = 263, PacketStatistics = 6;
    public const ushort EthPAll = 0x0003;
    public const byte PacketOutgoing = 4;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int fd, int level, int name, void* value, uint* length);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, void* address, uint length);

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    public static partial nint RecvFrom(int fd, byte* buffer, nuint length, int flags, byte* address, uint* addressLength);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(void* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>sockaddr_ll (20 bytes: the address is 8 bytes at offset 12, hence Pack = 4).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct SockAddrLl
    {
        public ushort Family;
        public ushort Protocol; // network byte order
        public int IfIndex;
        public ushort HaType;
        public byte PacketType;
        public byte HaLength;
        public ulong Address;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SockFilter
    {
        public ushort Code;
        public byte JumpTrue;
        public byte JumpFalse;
        public uint K;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SockFprog
    {
        public ushort Length;
        public SockFilter* Filter;
    }

    public static bool WaitReadable(int fd, int timeoutMs)
    {
        var pfd = stackalloc int[2];
        pfd[0] = fd;
        pfd[1] = 1; // events = POLLIN, revents = 0
        return Poll(pfd, 1, timeoutMs) > 0;
    }
}
