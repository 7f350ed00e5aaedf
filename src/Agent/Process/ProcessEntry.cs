using Vigil.Agent.Probes;

namespace Vigil.Agent.Process;

/// <summary>
/// One process image (a pid between two execs) as the cache knows it. Exec replaces the entry for a
/// pid; <see cref="Parent"/> is an object reference, so lineage survives the parent's exit.
/// </summary>
public sealed class ProcessEntry
{
    public int Pid { get; init; }
    public int Ppid { get; set; }
    public ProcessEntry? Parent { get; set; }
    public string Comm { get; set; } = "";
    public string? Tty { get; set; }
    public long ForkTimeNs { get; set; }
    public long ExecTimeNs { get; set; }
    public long ExitTimeNs { get; set; }
    /// <summary>True when this image came from an exec seen by the agent (not only a fork or the /proc snapshot).</summary>
    public bool IsExec { get; set; }
    public Credentials Credentials { get; set; } = Credentials.Unknown;
    public string[] Argv { get; set; } = [];
    public bool ArgsTruncated { get; set; }
    public string[] Envp { get; set; } = [];
    public bool EnvsTruncated { get; set; }
    public string? ContainerId { get; set; }
    public string? CgroupPath { get; set; }
    public ExecutableFile Executable { get; set; } = ExecutableFile.Unknown;
    /// <summary>Where the entry came from: ebpf, audit, proc_connector, procfs (startup snapshot).</summary>
    public string Source { get; set; } = "";
    /// <summary>Fields that could not be read (the process exited before /proc was read…); empty when complete.</summary>
    public string Missing { get; set; } = "";

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
