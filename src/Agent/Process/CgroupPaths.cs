using Vigil.Agent.Interop;

namespace Vigil.Agent.Process;

/// <summary>
/// cgroup v2 path by cgroup id. The eBPF exec record carries the task's v2 cgroup id (the inode of its directory
/// in the cgroup2 mount), so /proc/pid/cgroup is read once per cgroup instead of once per exec. A path joins the cache
/// only after a stat of that directory shows the same id (the process may have moved between exec and the read).
/// </summary>
internal sealed class CgroupPaths
{
    private const int MaxEntries = 10_000;
    private readonly Dictionary<ulong, string> _byId = [];
    private readonly string? _mount = FindUnifiedMount();

    public string? TryRead(int pid, ulong cgroupId)
    {
        if (cgroupId != 0 && _byId.TryGetValue(cgroupId, out var known)) return known;
        var path = ContainerResolver.TryReadCgroupPath(pid, out var unified);
        if (path is not null && unified && cgroupId != 0 && _mount is not null && _byId.Count < MaxEntries
            && Libc.Stat(_mount + (path == "/" ? "" : path), out var st) == 0 && st.Inode == cgroupId)
            _byId[cgroupId] = path;
        return path;
    }

    /// <summary>Where cgroup2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts), or null.</summary>
    private static string? FindUnifiedMount()
    {
        var mounts = ProcFs.TryReadText("/proc/self/mounts");
        if (mounts is null) return null;
        foreach (var line in mounts.Split('\n'))
        {
            var fields = line.Split(' ');
            if (fields.Length > 2 && fields[2] == "cgroup2") return fields[1];
        }
        return null;
    }
}
