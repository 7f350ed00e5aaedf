using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Agent.Process;

/// <summary>
/// open/read/readlink/close for /proc files. FileStream costs an fstat, an flock and a 64 KiB buffer per file on top;
/// the process cache reads a few /proc files per new process, which showed up in the exec-storm profile.
/// </summary>
internal static unsafe partial class ProcFsNative
{
    private const int O_RDONLY = 0, O_CLOEXEC = 0x80000, EINTR = 4;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ReadLink(string path, byte* buffer, nuint size);

    /// <summary>The file's bytes (at most <paramref name="max"/>), or null when it cannot be opened or read.</summary>
    public static byte[]? TryReadAll(string path, int max)
    {
        var fd = Open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return null;
        try
        {
            var buffer = t_buffer ??= new byte[64 * 1024];
            if (buffer.Length < max) buffer = t_buffer = new byte[max];
            var total = 0;
            fixed (byte* start = buffer)
            {
                while (total < max)
                {
                    var read = Read(fd, start + total, (nuint)(max - total));
                    if (read == 0) break;
                    if (read < 0)
                    {
                        if (Marshal.GetLastPInvokeError() == EINTR) continue;
                        return null; // ESRCH: the process went away between open and read
                    }
                    total += (int)read;
                }
            }
            return buffer[..total];
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>A symbolic link's target (/proc/pid/exe), or null.</summary>
    public static string? TryReadLink(string path)
    {
        const int Size = 4096;
        var buffer = stackalloc byte[Size];
        var length = ReadLink(path, buffer, Size);
        return length <= 0 || length >= Size ? null : Encoding.UTF8.GetString(buffer, (int)length);
    }
}
