namespace Vigil.Agent.Probes.Files;

/// <summary>
/// The last stat of each recently seen file, by path. Both kernel mechanisms report chmod, chown, utimes
/// and setxattr as one indistinguishable ATTRIB; comparing a fresh stat with the remembered one tells
/// them apart. Bounded: when full it starts over (the next ATTRIB of a forgotten file is reported as
/// <see cref="FileOperation.Attrib"/>). Stats are taken when the record is processed, so operations in
/// quick succession on one file can be merged or misread; that is inherent to stat diffing.
/// </summary>
internal sealed class FileStatCache(int capacity)
{
    private readonly Dictionary<string, FileMetadata> _byPath = new(StringComparer.Ordinal);

    public FileMetadata? Refresh(string path)
    {
        var now = FileSystemNative.Stat(path);
        Remember(path, now);
        return now;
    }

    /// <summary>The last known metadata of a path that is gone (unlink, rmdir).</summary>
    public FileMetadata? Forget(string path) => _byPath.Remove(path, out var before) ? before : null;

    /// <summary>A rename: the entry (and, for a directory, those below it) moves to the new path.</summary>
    public void Move(string from, string to)
    {
        if (_byPath.Remove(from, out var moved))
            _byPath[to] = moved;
        var below = from + "/";
        foreach (var key in _byPath.Keys.Where(k => k.StartsWith(below, StringComparison.Ordinal)).ToList())
        {
            _byPath.Remove(key, out var child);
            _byPath[to + key[from.Length..]] = child!;
        }
    }

    /// <summary>
    /// What an ATTRIB was, by diffing a fresh stat against the cached one. Empty when the file is gone
    /// (the ATTRIB of an unlink) or only its link count changed (the ATTRIB of a hard link or unlink).
    /// When the same record also carries a write, the mtime change is the write's, not a utimes.
    /// </summary>
    public (IReadOnlyList<FileOperation> Operations, FileMetadata? Now) ClassifyAttrib(string path, bool written)
    {
        var before = _byPath.GetValueOrDefault(path);
        var now = Refresh(path);
        if (now is null)
            return ([], null);
        if (before is null || before.Inode != now.Inode)
            return ([FileOperation.Attrib], now);
        var operations = new List<FileOperation>(2);
        if (before.Permissions != now.Permissions)
            operations.Add(FileOperation.Chmod);
        if (before.Uid != now.Uid || before.Gid != now.Gid)
            operations.Add(FileOperation.Chown);
        if (!written && (before.ModificationTime != now.ModificationTime || before.AccessTime != now.AccessTime))
            operations.Add(FileOperation.Utimes);
        if (operations.Count == 0 && before.LinkCount == now.LinkCount && !written)
            operations.Add(FileOperation.Xattr); // only the ctime moved: an extended attribute was set or removed
        return (operations, now);
    }

    /// <summary>Stats what already exists below the prefixes (bounded), so the first chmod of a file is classified.</summary>
    public void Scan(IEnumerable<string> prefixes, int limit)
    {
        var budget = limit;
        foreach (var prefix in prefixes)
        {
            if (!Directory.Exists(prefix))
                continue;
            Refresh(prefix);
            budget--;
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
            foreach (var path in Directory.EnumerateFileSystemEntries(prefix, "*", options))
            {
                if (budget-- <= 0)
                    return;
                Refresh(path);
            }
        }
    }

    private void Remember(string path, FileMetadata? metadata)
    {
        if (metadata is null)
        {
            _byPath.Remove(path);
            return;
        }
        if (_byPath.Count >= capacity && !_byPath.ContainsKey(path))
            _byPath.Clear();
        _byPath[path] = metadata;
    }
}
