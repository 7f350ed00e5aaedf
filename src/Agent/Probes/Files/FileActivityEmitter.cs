using System.Threading.Channels;

namespace Vigil.Agent.Probes.Files;

/// <summary>What a kernel record said happened to one path, in mechanism-neutral terms.</summary>
[Flags]
internal enum FileChange
{
    None = 0,
    Create = 1,
    Open = 2,
    OpenExec = 4,
    Modify = 8,
    CloseWrite = 16,
    Attrib = 32,
    Delete = 64,
    IsDirectory = 128,
}

/// <summary>
/// Turns one kernel record (a path and its merged change bits) into <see cref="FileActivity"/> records,
/// classifying attribute changes with the stat cache, and writes them to the bounded channel (a full
/// channel drops and counts). Shared by the fanotify probe and the inotify fallback.
/// </summary>
internal sealed class FileActivityEmitter(ChannelWriter<FileActivity> output, FileStatCache cache, string source)
{
    private static readonly string[] ExecFlags = ["exec"];
    private long _drops;

    public long Drops => Interlocked.Read(ref _drops);

    public void Changed(string path, FileChange change, int? pid)
    {
        var now = DateTimeOffset.UtcNow;
        var written = (change & (FileChange.Modify | FileChange.CloseWrite | FileChange.Create)) != 0;
        IReadOnlyList<FileOperation> attributes = [];
        FileMetadata? metadata = null;
        if (change.HasFlag(FileChange.Attrib))
            (attributes, metadata) = cache.ClassifyAttrib(path, written);
        if (change.HasFlag(FileChange.Delete))
            metadata = cache.Forget(path);
        else if (metadata is null && (change & (FileChange.Create | FileChange.Open | FileChange.OpenExec | FileChange.Modify | FileChange.CloseWrite)) != 0)
            metadata = cache.Refresh(path);

        var isDirectory = change.HasFlag(FileChange.IsDirectory) || metadata?.IsDirectory == true;
        if (change.HasFlag(FileChange.Create))
        {
            var created = isDirectory ? FileOperation.Mkdir
                : metadata is { LinkCount: > 1, IsSymlink: false } ? FileOperation.Link // a new name for an existing inode
                : FileOperation.Create;
            Write(new(created, path, null, pid, metadata, [], now, source));
        }
        if ((change & (FileChange.Open | FileChange.OpenExec)) != 0)
            Write(new(FileOperation.Open, path, null, pid, metadata, change.HasFlag(FileChange.OpenExec) ? ExecFlags : [], now, source));
        if (change.HasFlag(FileChange.Modify))
            Write(new(FileOperation.Modify, path, null, pid, metadata, [], now, source));
        if (change.HasFlag(FileChange.CloseWrite))
            Write(new(FileOperation.CloseWrite, path, null, pid, metadata, [], now, source));
        foreach (var operation in attributes)
            Write(new(operation, path, null, pid, metadata, [], now, source));
        if (change.HasFlag(FileChange.Delete))
            Write(new(isDirectory ? FileOperation.Rmdir : FileOperation.Unlink, path, null, pid, metadata, [], now, source));
    }

    public void Renamed(string from, string to, int? pid)
    {
        cache.Move(from, to);
        Write(new(FileOperation.Rename, from, to, pid, cache.Refresh(to), [], DateTimeOffset.UtcNow, source));
    }

    private void Write(FileActivity activity)
    {
        if (!output.TryWrite(activity))
            Interlocked.Increment(ref _drops);
    }
}

/// <summary>Whether a path lies under one of the watched prefixes.</summary>
internal sealed class PrefixFilter(IReadOnlyList<string> prefixes)
{
    public IReadOnlyList<string> Prefixes => prefixes;

    public bool Matches(string path)
    {
        foreach (var prefix in prefixes)
        {
            if (prefix == "/" || path == prefix ||
                (path.Length > prefix.Length && path[prefix.Length] == '/' && path.StartsWith(prefix, StringComparison.Ordinal)))
                return true;
        }
        return false;
    }
}
