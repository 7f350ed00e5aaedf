using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Vigil.Agent.Probes.Files;

/// <summary>libc calls of the file probes (x86-64/arm64 Linux). errno is read in the callers via GetLastPInvokeError.</summary>
internal static unsafe partial class FileSystemNative
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int OReadOnly = 0, ODirectory = 0x10000, OCloseOnExec = 0x80000, OPath = 0x200000, OLargeFile = 0x8000;
    public const short PollIn = 1;
    public const int EINTR = 4, EAGAIN = 11, EINVAL = 22, ENOENT = 2, ESTALE = 116;

    [LibraryImport("libc", EntryPoint = "fanotify_init", SetLastError = true)]
    public static partial int FanotifyInit(uint flags, uint eventFlags);

    [LibraryImport("libc", EntryPoint = "fanotify_mark", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FanotifyMark(int fd, uint flags, ulong mask, int dirFd, string path);

    [LibraryImport("libc", EntryPoint = "open_by_handle_at", SetLastError = true)]
    public static partial int OpenByHandleAt(int mountFd, byte* handle, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ReadLink(string path, byte* buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int StatFs(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int InotifyInit(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InotifyAddWatch(int fd, string path, uint mask);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>Waits up to timeoutMs for fd to be readable; true when it is.</summary>
    public static bool WaitReadable(int fd, int timeoutMs)
    {
        var pfd = new PollFd { Fd = fd, Events = PollIn };
        return Poll(&pfd, 1, timeoutMs) > 0 && (pfd.Revents & PollIn) != 0;
    }

    /// <summary>The target of a symlink such as /proc/self/fd/N, or null.</summary>
    public static string? ReadLinkText(string path)
    {
        var buffer = stackalloc byte[4096];
        var length = ReadLink(path, buffer, 4096);
        return length <= 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, (int)length);
    }

    /// <summary>The filesystem id (statfs f_fsid) of the filesystem holding path, as fanotify reports it.</summary>
    public static ulong? FilesystemId(string path)
    {
        var buffer = stackalloc byte[128];
        if (StatFs(path, buffer) != 0)
            return null;
        return BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(buffer + 56, 8));
    }

    /// <summary>lstat-like metadata through statx (a stable layout on every architecture), or null when the path is gone.</summary>
    public static FileMetadata? Stat(string path)
    {
        const uint basicStats = 0x7ff;
        var buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, basicStats, buffer) != 0)
            return null;
        var span = new ReadOnlySpan<byte>(buffer, 256);
        return new FileMetadata(
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(span[32..]),
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(span[28..]),
            Uid: BinaryPrimitives.ReadUInt32LittleEndian(span[20..]),
            Gid: BinaryPrimitives.ReadUInt32LittleEndian(span[24..]),
            LinkCount: BinaryPrimitives.ReadUInt32LittleEndian(span[16..]),
            Size: BinaryPrimitives.ReadInt64LittleEndian(span[40..]),
            AccessTime: Time(span[64..]),
            ModificationTime: Time(span[112..]),
            ChangeTime: Time(span[96..]));
    }

    private static DateTimeOffset Time(ReadOnlySpan<byte> timestamp) =>
        DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64LittleEndian(timestamp))
            .AddTicks(BinaryPrimitives.ReadUInt32LittleEndian(timestamp[8..]) / 100);
}
