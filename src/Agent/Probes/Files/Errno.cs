namespace Vigil.Agent.Probes.Files;

/// <summary>errno values as a short readable reason for status lines.</summary>
internal static class Errno
{
    public static string Describe(int errno) => errno switch
    {
        1 => "EPERM (needs root: CAP_SYS_ADMIN)",
        2 => "ENOENT",
        13 => "EACCES",
        22 => "EINVAL (not supported by this kernel or filesystem)",
        24 => "EMFILE (too many open files or fanotify groups)",
        28 => "ENOSPC (inotify watch limit reached)",
        38 => "ENOSYS (fanotify not built into this kernel)",
        95 => "EOPNOTSUPP",
        _ => $"errno {errno}",
    };
}
