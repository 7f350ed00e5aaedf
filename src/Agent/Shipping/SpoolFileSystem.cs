using System.Runtime.InteropServices;

namespace Vigil.Agent.Shipping;

/// <summary>fsync of a directory, which .NET's file APIs cannot do: it makes a rename in it durable.</summary>
internal static partial class SpoolFileSystem
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY
    private const int CloseOnExec = 0x80000;

    public static void FsyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
            return;
        var fd = Open(path, ReadOnlyDirectory | CloseOnExec);
        if (fd < 0)
            throw new IOException($"Cannot open spool directory {path} to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"fsync of spool directory {path} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
