using System.Runtime.InteropServices;
using Vigil.Agent.Interop;

namespace Vigil.Agent.Protection;

/// <summary>
/// The kernel calls Active Protection needs beyond <see cref="Libc"/> and <see cref="Libbpf"/>: pidfds (a kill
/// reaches the process that matched, never a later one reusing its pid), fanotify permission events, BPF map
/// updates, and posix_spawn/waitpid for the canary runs of tests and the benchmark.
/// </summary>
internal static unsafe partial class ProtectionNative
{
    private const string Lib = "libc";
    private const long SysPidfdSendSignal = 424, SysPidfdOpen = 434;

    internal const int ESRCH = 3, EPERM = 1, EINTR = 4;

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a, long b, long c, long d);

    /// <summary>A pidfd for a live process, or -1 (errno ESRCH when it is gone).</summary>
    internal static int PidfdOpen(int pid) => (int)Syscall(SysPidfdOpen, pid, 0, 0, 0);

    internal static int PidfdSendSignal(int pidfd, int signal) => (int)Syscall(SysPidfdSendSignal, pidfd, signal, 0, 0);

    [LibraryImport(Lib, EntryPoint = "fanotify_init", SetLastError = true)]
    internal static partial int FanotifyInit(uint flags, uint eventFlags);

    [LibraryImport(Lib, EntryPoint = "fanotify_mark", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int FanotifyMark(int fd, uint flags, ulong mask, int dirFd, string path);

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "fstat", SetLastError = true)]
    internal static partial int Fstat(int fd, out Libc.StatBuffer buffer);

    [LibraryImport(Lib, EntryPoint = "posix_spawn", SetLastError = true)]
    internal static partial int PosixSpawn(out int pid, byte* path, nint fileActions, nint attributes, byte** argv, byte** envp);

    [LibraryImport(Lib, EntryPoint = "waitpid", SetLastError = true)]
    internal static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libbpf.so.1", EntryPoint = "bpf_map_update_elem")]
    internal static partial int MapUpdate(int fd, void* key, void* value, ulong flags);

    [LibraryImport("libbpf.so.1", EntryPoint = "bpf_map_lookup_elem")]
    internal static partial int MapLookup(int fd, void* key, void* value);

    [LibraryImport("libbpf.so.1", EntryPoint = "bpf_map_delete_elem")]
    internal static partial int MapDelete(int fd, void* key);

    [LibraryImport("libbpf.so.1", EntryPoint = "bpf_map_get_next_key")]
    internal static partial int MapNextKey(int fd, void* key, void* nextKey);
}
