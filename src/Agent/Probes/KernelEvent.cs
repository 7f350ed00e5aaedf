namespace Vigil.Agent.Probes;

public enum KernelEventKind { Exec, Fork, Exit, Syscall, File, Dns }

/// <summary>User and group ids of a task (a process's credentials at the time of the event).</summary>
public readonly record struct Credentials(uint Uid, uint Gid, uint Euid, uint Egid, uint Fsuid, uint Fsgid, uint Auid, ulong CapEffective, ulong CapPermitted)
{
    public static readonly Credentials Unknown = new(0, 0, 0, 0, 0, 0, uint.MaxValue, 0, 0);
}

/// <summary>
/// What every probe produces, whatever its mechanism. Fields a mechanism could not fill stay null or 0;
/// <see cref="Missing"/> names them (for example the proc connector when a process exited before /proc
/// could be read), so rules and analysts know the event is partial.
/// </summary>
public sealed class KernelEvent
{
    public KernelEventKind Kind { get; init; }
    public string Source { get; init; } = "";
    public int Pid { get; init; }
    public int Tid { get; init; }
    public int Ppid { get; init; }
    /// <summary>Wall-clock time, Unix nanoseconds.</summary>
    public long TimestampNs { get; init; }
    public Credentials Credentials { get; init; } = Credentials.Unknown;
    public bool CredentialsKnown { get; init; }
    public string? Comm { get; init; }
    public ulong CgroupId { get; init; }

    // exec
    public string? Filename { get; init; }
    public string[]? Argv { get; init; }
    public bool ArgsTruncated { get; init; }
    public string[]? Envp { get; init; }
    public bool EnvsTruncated { get; init; }
    public string? Tty { get; init; }
    public ulong ExeInode { get; init; }
    /// <summary>Device of the executable (kernel s_dev encoding); with the inode it identifies the file.</summary>
    public uint ExeDevice { get; init; }
    /// <summary>The executable's inode metadata when the probe read it at exec (eBPF), else null.</summary>
    public ExecutableMetadata? ExeMetadata { get; init; }

    // exit
    public int ExitStatus { get; init; }

    // syscall (x86_64 number and raw arguments, strings read by the probe)
    public int Syscall { get; init; }
    public long[] Args { get; init; } = [];
    public string? Str0 { get; init; }
    public string? Str1 { get; init; }
    public string? Str2 { get; init; }
    public byte[]? Data { get; init; }

    // file and dns: the record of the file or DNS probe (their own shapes; the SECL builder maps them)
    public Files.FileActivity? File { get; init; }
    public Dns.DnsQueryRecord? Dns { get; init; }

    /// <summary>Comma-separated fields the probe could not read (empty when complete).</summary>
    public string Missing { get; init; } = "";
}

/// <summary>Mode, owner, size and times of an executable's inode (times in Unix nanoseconds).</summary>
public sealed record ExecutableMetadata(uint Mode, uint Uid, uint Gid, long Size, long ModificationTimeNs, long ChangeTimeNs);

/// <summary>x86_64 syscall numbers the kernel-activity probes report.</summary>
public static class Syscalls
{
    public const int Mmap = 9, Mprotect = 10, Kill = 62, Ptrace = 101, Setuid = 105, Setgid = 106, Setreuid = 113, Setregid = 114,
        Setresuid = 117, Setresgid = 119, Setfsuid = 122, Setfsgid = 123, Capset = 126, Mount = 165, Umount = 166,
        InitModule = 175, Tkill = 200, Tgkill = 234, MemfdCreate = 319, Bpf = 321, FinitModule = 313;
}
