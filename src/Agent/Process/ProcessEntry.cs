using Vigil.Agent.Probes;

namespace Vigil.Agent.Process;

/// <summary>
/// One process image (a pid between two execs) as the cache knows it. Exec replaces the entry for a
/// pid; <see cref="Parent"/> is an object reference, so lineage survives the parent's exit.
/// Every setter drops <see cref="SerializedJson"/>: the agent event serializer caches each process's JSON
/// (an ancestor appears in every event of its descendants) and must never reuse a stale one.
/// </summary>
public sealed class ProcessEntry
{
    private int _ppid;
    private string _comm = "";
    private string? _tty, _containerId, _cgroupPath;
    private long _forkTimeNs, _execTimeNs, _exitTimeNs;
    private bool _isExec, _argsTruncated, _envsTruncated;
    private Credentials _credentials = Credentials.Unknown;
    private string[] _argv = [], _envp = [];
    private string[]? _envNames;
    private ExecutableFile _executable = ExecutableFile.Unknown;
    private ProcessEntry? _parent;
    private string _source = "", _missing = "";

    public int Pid { get; init; }
    public int Ppid { get => _ppid; set => Set(ref _ppid, value); }
    /// <summary>The forking process; its arguments decide whether this process's JSON repeats them (a fork that did not exec).</summary>
    public ProcessEntry? Parent { get => _parent; set => Set(ref _parent, value); }
    public string Comm { get => _comm; set => Set(ref _comm, value); }
    public string? Tty { get => _tty; set => Set(ref _tty, value); }
    public long ForkTimeNs { get => _forkTimeNs; set => Set(ref _forkTimeNs, value); }
    public long ExecTimeNs { get => _execTimeNs; set => Set(ref _execTimeNs, value); }
    public long ExitTimeNs { get => _exitTimeNs; set => Set(ref _exitTimeNs, value); }
    /// <summary>True when this image came from an exec seen by the agent (not only a fork or the /proc snapshot).</summary>
    public bool IsExec { get => _isExec; set => Set(ref _isExec, value); }
    public Credentials Credentials { get => _credentials; set => Set(ref _credentials, value); }
    public string[] Argv { get => _argv; set => Set(ref _argv, value); }
    public bool ArgsTruncated { get => _argsTruncated; set => Set(ref _argsTruncated, value); }
    public string[] Envp { get => _envp; set { _envNames = null; Set(ref _envp, value); } }
    public bool EnvsTruncated { get => _envsTruncated; set => Set(ref _envsTruncated, value); }
    public string? ContainerId { get => _containerId; set => Set(ref _containerId, value); }
    public string? CgroupPath { get => _cgroupPath; set => Set(ref _cgroupPath, value); }
    public ExecutableFile Executable { get => _executable; set => Set(ref _executable, value); }
    /// <summary>Where the entry came from: ebpf, audit, proc_connector, procfs (startup snapshot).</summary>
    public string Source { get => _source; set => Set(ref _source, value); }
    /// <summary>Fields that could not be read (the process exited before /proc was read…); empty when complete.</summary>
    public string Missing { get => _missing; set => Set(ref _missing, value); }

    /// <summary>
    /// Names of the environment variables (what Datadog reports as <c>envs</c>), computed once per image, and once for
    /// consecutive images that share one environment array (the eBPF probe decodes a repeated environment once).
    /// </summary>
    public string[] EnvNames => _envNames ??= EnvNamesOf(_envp);

    [ThreadStatic] private static (string[] Envp, string[] Names) _lastEnvNames;

    private static string[] EnvNamesOf(string[] envp)
    {
        if (envp.Length > 0 && ReferenceEquals(_lastEnvNames.Envp, envp)) return _lastEnvNames.Names;
        var names = new string[envp.Length];
        for (var i = 0; i < envp.Length; i++)
        {
            var v = envp[i];
            names[i] = v.IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? v[..at] : v;
        }
        _lastEnvNames = (envp, names);
        return names;
    }

    /// <summary>This process's JSON object as last serialized, with the user-directory version it was written with.</summary>
    internal (byte[] Json, int UsersVersion)? SerializedJson { get; set; }

    private void Set<T>(ref T field, T value)
    {
        field = value;
        SerializedJson = null;
    }

    /// <summary>Parent first, then its parent …, bounded (Datadog reports at most a few hundred ancestors).</summary>
    public IEnumerable<ProcessEntry> Ancestors(int max = 64)
    {
        var seen = 0;
        for (var p = Parent; p is not null && seen < max; p = p.Parent, seen++)
        {
            yield return p;
            if (p.Pid <= 1) yield break;
        }
    }

    /// <summary>A copy for a forked child: same image, new pid.</summary>
    public ProcessEntry ForkChild(int pid, long timeNs) => new()
    {
        Pid = pid, Ppid = Pid, Parent = this, Comm = Comm, Tty = Tty, ForkTimeNs = timeNs, ExecTimeNs = ExecTimeNs,
        Credentials = Credentials, Argv = Argv, ArgsTruncated = ArgsTruncated, Envp = Envp, EnvsTruncated = EnvsTruncated,
        ContainerId = ContainerId, CgroupPath = CgroupPath, Executable = Executable, Source = Source, Missing = Missing,
    };
}

/// <summary>The executable file of a process image; inode 0 means it could not be stat-ed.</summary>
public sealed record ExecutableFile(string Path, ulong Inode, uint Mode, uint Uid, uint Gid, long Size, long ModificationTimeNs, long ChangeTimeNs)
{
    public static readonly ExecutableFile Unknown = new("", 0, 0, 0, 0, 0, 0, 0);

    public string Name => System.IO.Path.GetFileName(Path);
}
