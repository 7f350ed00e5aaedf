using Vigil.Agent.Probes;

namespace Vigil.Agent.Process;

/// <summary>
/// The agent's view of running processes: seeded from /proc at start, then kept current by fork, exec
/// and exit events. Processes the agent has not seen (missed events, started before a probe) are read
/// from /proc on first use. Used from the pipeline's single consumer thread only.
/// </summary>
public sealed class ProcessCache(UserDirectory users, ContainerResolver containers)
{
    private const int MaxEntries = 200_000, MaxExePaths = 4096;
    private readonly Dictionary<int, ProcessEntry> _byPid = [];
    private readonly CgroupPaths _cgroups = new();
    // Keyed by the execve path alone (a reference-typed key and value: a tuple key made the runtime compile its
    // comparer in the middle of the first exec storm); the entry holds the file it resolved to.
    private readonly Dictionary<string, ResolvedExecutable> _exePaths = new(StringComparer.Ordinal);

    public UserDirectory Users => users;

    public int Count => _byPid.Count;

    /// <summary>Reads every /proc/&lt;pid&gt; and links parents.</summary>
    public void SeedFromProc()
    {
        foreach (var pid in ProcFs.Pids())
        {
            if (!_byPid.ContainsKey(pid) && TryLoad(pid) is { } entry) _byPid[pid] = entry;
        }
        foreach (var entry in _byPid.Values) entry.Parent ??= entry.Ppid > 0 && entry.Ppid != entry.Pid ? _byPid.GetValueOrDefault(entry.Ppid) : null;
    }

    public ProcessEntry? Find(int pid) => _byPid.TryGetValue(pid, out var entry) ? entry : null;

    /// <summary>The entry for a pid, read from /proc when the cache has not seen it (null when it is gone).</summary>
    public ProcessEntry? Get(int pid)
    {
        if (pid <= 0) return null;
        if (_byPid.TryGetValue(pid, out var entry)) return entry;
        entry = TryLoad(pid);
        if (entry is null) return null;
        Store(entry);
        entry.Parent ??= entry.Ppid > 0 && entry.Ppid != pid ? Get(entry.Ppid) : null;
        return entry;
    }

    /// <summary>Applies a lifecycle event and returns the process it is about (after an exec: the new image).</summary>
    public ProcessEntry Apply(KernelEvent evt)
    {
        switch (evt.Kind)
        {
            case KernelEventKind.Fork:
                var parent = Get(evt.Ppid);
                var child = parent?.ForkChild(evt.Pid, evt.TimestampNs) ?? TryLoad(evt.Pid) ?? Unknown(evt);
                child.ForkTimeNs = evt.TimestampNs;
                child.IsExec = false;
                if (evt.CredentialsKnown) child.Credentials = evt.Credentials;
                Store(child);
                return child;
            case KernelEventKind.Exec:
                var image = Exec(evt);
                Store(image);
                return image;
            case KernelEventKind.Exit:
                var exiting = _byPid.GetValueOrDefault(evt.Pid) ?? Unknown(evt);
                exiting.ExitTimeNs = evt.TimestampNs;
                _byPid.Remove(evt.Pid);
                return exiting;
            default:
                var subject = Get(evt.Pid) ?? Unknown(evt);
                if (evt.CredentialsKnown) subject.Credentials = evt.Credentials;
                if (!string.IsNullOrEmpty(evt.Comm)) subject.Comm = evt.Comm; // prctl(PR_SET_NAME) changes it after exec
                return subject;
        }
    }

    private ProcessEntry Exec(KernelEvent evt)
    {
        var previous = _byPid.GetValueOrDefault(evt.Pid);
        var ppid = evt.Ppid > 0 ? evt.Ppid : previous?.Ppid ?? 0;
        var missing = new List<string>();
        if (evt.Missing.Length > 0) missing.Add(evt.Missing);
        var parent = previous?.Parent is { } p && p.Pid == ppid ? p : Get(ppid);

        var credentials = evt.Credentials;
        var comm = evt.Comm;
        if (!evt.CredentialsKnown || comm is null)
        {
            if (ProcFs.TryReadStatus(evt.Pid, out _, out var procComm, out var procCredentials))
            {
                if (!evt.CredentialsKnown) credentials = procCredentials;
                comm ??= procComm;
            }
            else if (!evt.CredentialsKnown) missing.Add("credentials");
        }

        var argv = evt.Argv;
        var argsTruncated = evt.ArgsTruncated;
        if (argv is null)
        {
            argv = ProcFs.TryReadNulList(evt.Pid, "cmdline", out argsTruncated);
            if (argv is null) missing.Add("argv");
        }
        var envp = evt.Envp;
        var envsTruncated = evt.EnvsTruncated;
        if (envp is null)
        {
            envp = ProcFs.TryReadNulList(evt.Pid, "environ", out envsTruncated);
            if (envp is null) missing.Add("envs");
        }

        var executable = ResolveExecutable(evt, missing);
        var cgroup = _cgroups.TryRead(evt.Pid, evt.CgroupId) ?? parent?.CgroupPath;
        return new ProcessEntry
        {
            Pid = evt.Pid, Ppid = ppid, Parent = parent, Comm = comm ?? executable.Name, Tty = evt.Tty ?? previous?.Tty ?? parent?.Tty,
            ForkTimeNs = previous?.ForkTimeNs ?? evt.TimestampNs, ExecTimeNs = evt.TimestampNs, IsExec = true,
            Credentials = credentials, Argv = argv ?? [], ArgsTruncated = argsTruncated, Envp = envp ?? [], EnvsTruncated = envsTruncated,
            CgroupPath = cgroup, ContainerId = containers.Resolve(cgroup), Executable = executable, Source = evt.Source,
            Missing = string.Join(",", missing),
        };
    }

    /// <summary>
    /// With the inode metadata in the exec record, an execve path already resolved to this same file (device and inode)
    /// needs no /proc read and no stat: a storm of execs of one binary resolves it once.
    /// </summary>
    private ExecutableFile ResolveExecutable(KernelEvent evt, List<string> missing)
    {
        if (evt.ExeMetadata is not { } meta || evt.ExeInode == 0 || evt.Filename is not { Length: > 0 } filename || filename[0] != '/'
            || filename.StartsWith("/proc/", StringComparison.Ordinal) || filename.StartsWith("/dev/fd/", StringComparison.Ordinal))
            return ResolveFromProc(evt, missing, out _);
        if (_exePaths.TryGetValue(filename, out var known) && known.Device == evt.ExeDevice && known.Inode == evt.ExeInode)
            return new ExecutableFile(known.Path, evt.ExeInode, meta.Mode, meta.Uid, meta.Gid, meta.Size, meta.ModificationTimeNs, meta.ChangeTimeNs);
        var file = ResolveFromProc(evt, missing, out var resolved);
        if (resolved) // only a path read from /proc/pid/exe (symlinks resolved) is worth remembering
        {
            if (_exePaths.Count >= MaxExePaths) _exePaths.Clear();
            _exePaths[filename] = new ResolvedExecutable(evt.ExeDevice, evt.ExeInode, file.Path);
        }
        return file;
    }

    /// <summary>
    /// The real path from /proc/pid/exe when it still names the exec'd inode (symlinks resolved, as Datadog
    /// reports them), else the path given to execve.
    /// </summary>
    private static ExecutableFile ResolveFromProc(KernelEvent evt, List<string> missing, out bool fromExeLink)
    {
        fromExeLink = false;
        var linked = ProcFs.TryReadExe(evt.Pid);
        if (linked is not null)
        {
            // A memfd has no path to stat: /proc/pid/exe still reaches its inode. The inode check matters when the
            // process exec'd again before this event was handled (python exec'ing a memfd, for example).
            var file = ProcFs.StatExecutable(linked, linked.StartsWith("memfd:", StringComparison.Ordinal) ? $"/proc/{evt.Pid}/exe" : null);
            if (evt.ExeInode == 0 || file.Inode == evt.ExeInode)
            {
                fromExeLink = file.Inode != 0 && !linked.StartsWith("memfd:", StringComparison.Ordinal);
                return file;
            }
        }
        if (evt.Filename is { Length: > 0 } filename && filename[0] == '/' && !filename.StartsWith("/proc/", StringComparison.Ordinal))
            return ProcFs.StatExecutable(filename);
        missing.Add("file.path");
        return ExecutableFile.Unknown with { Path = evt.Filename ?? "" };
    }

    private ProcessEntry? TryLoad(int pid)
    {
        if (!ProcFs.TryReadStatus(pid, out var ppid, out var comm, out var credentials)) return null;
        var path = ProcFs.TryReadExe(pid) ?? "";
        var cgroup = ContainerResolver.TryReadCgroupPath(pid);
        var start = ProcFs.TryReadStartTime(pid);
        return new ProcessEntry
        {
            Pid = pid, Ppid = ppid, Comm = comm, Credentials = credentials, Tty = ProcFs.TryReadTty(pid),
            ForkTimeNs = start, ExecTimeNs = start,
            Argv = ProcFs.TryReadNulList(pid, "cmdline", out var argsTruncated) ?? [], ArgsTruncated = argsTruncated,
            Envp = ProcFs.TryReadNulList(pid, "environ", out var envsTruncated) ?? [], EnvsTruncated = envsTruncated,
            Executable = path.Length > 0 ? ProcFs.StatExecutable(path) : ExecutableFile.Unknown, // kernel threads have no exe
            CgroupPath = cgroup, ContainerId = containers.Resolve(cgroup), Source = "procfs",
        };
    }

    private static ProcessEntry Unknown(KernelEvent evt) => new()
    {
        Pid = evt.Pid, Ppid = evt.Ppid, Comm = evt.Comm ?? "", Credentials = evt.Credentials, ForkTimeNs = evt.TimestampNs,
        Source = evt.Source, Missing = "process exited before inspection",
    };

    private void Store(ProcessEntry entry)
    {
        if (_byPid.Count >= MaxEntries && !_byPid.ContainsKey(entry.Pid)) return; // bounded: lineage still works through references
        _byPid[entry.Pid] = entry;
    }
}

/// <summary>The real path an execve path led to, for the file (device, inode) it named then.</summary>
internal sealed record ResolvedExecutable(uint Device, ulong Inode, string Path);
