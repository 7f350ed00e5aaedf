using System.Runtime.InteropServices;

namespace Vigil.Agent.Probes.Files;

/// <summary>
/// Turns a directory file handle from a fanotify record into a path: <c>open_by_handle_at</c> with a
/// mount fd of the same filesystem (keyed by fsid), then readlink of /proc/self/fd. Directory paths are
/// cached by handle (one syscall pair per new directory); the cache is dropped when a directory is
/// renamed or removed, since cached paths below it would be stale.
/// </summary>
internal sealed unsafe class HandlePathResolver : IDisposable
{
    private const int MaxCachedDirectories = 16_384;
    private readonly Dictionary<ulong, int> _mountFds = [];
    private readonly Dictionary<string, string> _directories = new(StringComparer.Ordinal);

    public int Filesystems => _mountFds.Count;

    /// <summary>Registers a filesystem by a directory on it; false when it was already known.</summary>
    public bool AddFilesystem(ulong fsid, string directory)
    {
        if (_mountFds.ContainsKey(fsid))
            return false;
        var fd = FileSystemNative.Open(directory, FileSystemNative.OReadOnly | FileSystemNative.ODirectory | FileSystemNative.OCloseOnExec);
        if (fd < 0)
            throw new IOException($"cannot open {directory} (errno {Marshal.GetLastPInvokeError()})");
        _mountFds[fsid] = fd;
        return true;
    }

    /// <summary>The directory path for a file_handle (pointer to handle_bytes, handle_type, f_handle), or null.</summary>
    public string? Resolve(ulong fsid, byte* handle, int handleLength)
    {
        var key = string.Create(handleLength * 2 + 16, (fsid, (nint)handle, handleLength), static (chars, state) =>
        {
            state.fsid.TryFormat(chars, out _, "x16");
            Convert.TryToHexString(new ReadOnlySpan<byte>((byte*)state.Item2, state.handleLength), chars[16..], out _);
        });
        if (_directories.TryGetValue(key, out var cached))
            return cached;
        if (!_mountFds.TryGetValue(fsid, out var mountFd))
            return null;
        var fd = FileSystemNative.OpenByHandleAt(mountFd, handle, FileSystemNative.OPath | FileSystemNative.OCloseOnExec);
        if (fd < 0)
            return null; // ESTALE: the directory is gone
        try
        {
            var path = FileSystemNative.ReadLinkText($"/proc/self/fd/{fd}");
            if (path is null || path.EndsWith(" (deleted)", StringComparison.Ordinal))
                return path?[..^" (deleted)".Length];
            if (_directories.Count >= MaxCachedDirectories)
                _directories.Clear();
            _directories[key] = path;
            return path;
        }
        finally
        {
            _ = FileSystemNative.Close(fd);
        }
    }

    /// <summary>A directory was renamed or removed: cached paths may be stale.</summary>
    public void Invalidate() => _directories.Clear();

    public void Dispose()
    {
        foreach (var fd in _mountFds.Values)
            _ = FileSystemNative.Close(fd);
        _mountFds.Clear();
    }
}
