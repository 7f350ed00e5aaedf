namespace Vigil.Agent.Probes.Files;

/// <summary>What happened to a file (the SECL event types of the file category).</summary>
public enum FileOperation
{
    Open,
    Create,
    Modify,
    CloseWrite,
    Unlink,
    Rename,
    Chmod,
    Chown,
    Utimes,
    Xattr,
    Mkdir,
    Rmdir,
    Link,

    /// <summary>An attribute change the stat diff could not classify (no earlier stat of the file).</summary>
    Attrib,
}

/// <summary>What <c>statx</c> said about the file right after the event (or, for a deleted file, before it).</summary>
public sealed record FileMetadata(
    ulong Inode, uint Mode, uint Uid, uint Gid, uint LinkCount, long Size,
    DateTimeOffset AccessTime, DateTimeOffset ModificationTime, DateTimeOffset ChangeTime)
{
    /// <summary>File type bits of <see cref="Mode"/> (S_IFMT).</summary>
    public bool IsDirectory => (Mode & 0xF000) == 0x4000;
    public bool IsSymlink => (Mode & 0xF000) == 0xA000;

    /// <summary>Permission bits (rwx, setuid, setgid, sticky).</summary>
    public uint Permissions => Mode & 0xFFF;

    /// <summary>statx of a path without following a final symlink; null when it does not exist.</summary>
    public static FileMetadata? Of(string path) => FileSystemNative.Stat(path);
}

/// <summary>
/// One file operation under a watched prefix. <see cref="Path"/> is absolute; for a rename it is the old
/// path and <see cref="DestinationPath"/> the new one; for a link, the new name. <see cref="Pid"/> is the
/// acting process as the kernel reported it (null from the inotify fallback, which has none); the process
/// may have exited by the time the record is read. <see cref="Flags"/>: <c>exec</c> for an open to execute
/// (fanotify reports no other open flags). <see cref="Source"/>: <c>fanotify</c> or <c>inotify</c>.
/// </summary>
public sealed record FileActivity(
    FileOperation Operation,
    string Path,
    string? DestinationPath,
    int? Pid,
    FileMetadata? Metadata,
    IReadOnlyList<string> Flags,
    DateTimeOffset Timestamp,
    string Source);
