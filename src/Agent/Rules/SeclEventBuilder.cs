using Vigil.Agent.Probes;
using Vigil.Agent.Process;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Agent.Rules;

/// <summary>
/// Turns a kernel event plus the process cache into the SECL event the rules read: the event type, its
/// own fields (ptrace.request, signal.type …) and the process, parent and ancestors (process.*).
/// Returns null for events no SECL event type describes (fork, memfd_create, umount).
/// </summary>
public sealed partial class SeclEventBuilder(ProcessCache cache, SeclFieldPlan? plan = null)
{
    private SeclFieldPlan _plan = plan ?? SeclFieldPlan.All;

    /// <summary>The fields to fill from now on (the pipeline sets it from the loaded rules, and again when they change).</summary>
    public SeclFieldPlan Plan
    {
        get => _plan;
        set
        {
            _plan = value;
            _prefixes.Clear();
        }
    }

    public static string? EventType(KernelEvent evt) => evt.Kind switch
    {
        KernelEventKind.Exec => "exec",
        KernelEventKind.Exit => "exit",
        KernelEventKind.Syscall => evt.Syscall switch
        {
            Syscalls.Ptrace => "ptrace",
            Syscalls.Bpf => "bpf",
            Syscalls.Setuid or Syscalls.Setreuid or Syscalls.Setresuid or Syscalls.Setfsuid => "setuid",
            Syscalls.Setgid or Syscalls.Setregid or Syscalls.Setresgid or Syscalls.Setfsgid => "setgid",
            Syscalls.Capset => "capset",
            Syscalls.Kill or Syscalls.Tkill or Syscalls.Tgkill => "signal",
            Syscalls.InitModule or Syscalls.FinitModule => "load_module",
            Syscalls.Mmap => "mmap",
            Syscalls.Mprotect => "mprotect",
            Syscalls.Mount => "mount",
            _ => null,
        },
        KernelEventKind.File => FileEventType(evt.File!),
        KernelEventKind.Dns => "dns",
        _ => null,
    };

    public SeclEvent? Build(KernelEvent evt, ProcessEntry subject)
    {
        var type = EventType(evt);
        if (type is null) return null;
        var secl = new SeclEvent(type) { TimestampNanoseconds = evt.TimestampNs };
        SetProcessTree(secl, "process", subject);
        switch (type)
        {
            case "exec":
                SetProcess(new Target(secl, null), Fields("exec"), subject);
                break;
            case "exit":
                SetProcess(new Target(secl, null), Fields("exit"), subject);
                var (cause, code) = ExitCause(evt.ExitStatus);
                secl.Set("exit.cause", cause).Set("exit.code", code);
                break;
            case "ptrace":
                secl.Set("ptrace.request", evt.Args[0]).Set("ptrace.retval", 0L);
                if (cache.Get((int)evt.Args[1]) is { } tracee) SetProcessTree(secl, "ptrace.tracee", tracee);
                break;
            case "bpf":
                secl.Set("bpf.cmd", evt.Args[0]).Set("bpf.retval", 0L);
                break;
            case "setuid":
                var (uid, euid, fsuid) = NewIds(evt.Syscall, evt.Args, evt.Credentials.Uid, evt.Credentials.Euid, evt.Credentials.Fsuid, true);
                secl.Set("setuid.uid", uid).Set("setuid.euid", euid).Set("setuid.fsuid", fsuid)
                    .Set("setuid.user", cache.Users.User((uint)uid)).Set("setuid.euser", cache.Users.User((uint)euid)).Set("setuid.fsuser", cache.Users.User((uint)fsuid));
                break;
            case "setgid":
                var (gid, egid, fsgid) = NewIds(evt.Syscall, evt.Args, evt.Credentials.Gid, evt.Credentials.Egid, evt.Credentials.Fsgid, false);
                secl.Set("setgid.gid", gid).Set("setgid.egid", egid).Set("setgid.fsgid", fsgid)
                    .Set("setgid.group", cache.Users.Group((uint)gid)).Set("setgid.egroup", cache.Users.Group((uint)egid)).Set("setgid.fsgroup", cache.Users.Group((uint)fsgid));
                break;
            case "capset":
                var (effective, permitted) = CapsetValues(evt.Data);
                secl.Set("capset.cap_effective", effective).Set("capset.cap_permitted", permitted);
                break;
            case "signal":
                var (targetPid, signal) = evt.Syscall == Syscalls.Tgkill ? (evt.Args[0], evt.Args[2]) : (evt.Args[0], evt.Args[1]);
                secl.Set("signal.pid", targetPid).Set("signal.type", signal).Set("signal.retval", 0L);
                if (targetPid > 0 && cache.Get((int)targetPid) is { } killed) SetProcessTree(secl, "signal.target", killed);
                break;
            case "load_module":
                var fromMemory = evt.Syscall == Syscalls.InitModule;
                var file = fromMemory ? null : FdPath(evt.Pid, (int)evt.Args[0]);
                secl.Set("load_module.loaded_from_memory", fromMemory).Set("load_module.retval", -38L)
                    .Set("load_module.argv", string.IsNullOrEmpty(evt.Str1) ? [] : evt.Str1.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                if (file is not null)
                {
                    secl.Set("load_module.file.path", file).Set("load_module.file.name", Path.GetFileName(file));
                    secl.Set("load_module.name", ModuleName(file));
                }
                break;
            case "mmap":
                secl.Set("mmap.protection", evt.Args[2]).Set("mmap.flags", evt.Args[3]).Set("mmap.retval", 0L);
                break;
            case "mprotect":
                secl.Set("mprotect.req_protection", evt.Args[2]).Set("mprotect.vm_protection", 0L).Set("mprotect.retval", 0L);
                break;
            case "dns":
                SetDns(secl, evt.Dns!);
                break;
            case "open" or "chmod" or "chown" or "unlink" or "rename" or "link" or "utimes" or "setxattr" or "mkdir" or "rmdir":
                SetFile(secl, type, evt.File!);
                break;
            case "mount":
                secl.Set("mount.source.path", evt.Str0 ?? "").Set("mount.mountpoint.path", evt.Str1 ?? "").Set("mount.fs_type", evt.Str2 ?? "")
                    .Set("mount.syscall.source.path", evt.Str0 ?? "").Set("mount.syscall.mountpoint.path", evt.Str1 ?? "")
                    .Set("mount.syscall.fs_type", evt.Str2 ?? "").Set("mount.retval", 0L);
                break;
        }
        return secl;
    }

    /// <summary>The file a module load names: the fd's target, read while the caller is (usually) still alive.</summary>
    internal static string? FdPath(int pid, int fd)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static string ModuleName(string path)
    {
        var name = Path.GetFileName(path);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? name[..dot] : name;
    }

    /// <summary>Datadog's exit causes: 0 exited (code = status), 1 core dumped, 2 killed (code = signal).</summary>
    internal static (long Cause, long Code) ExitCause(int status)
    {
        var signal = status & 0x7f;
        if (signal == 0) return (0, (status >> 8) & 0xff);
        return ((status & 0x80) != 0 ? 1 : 2, signal);
    }

    /// <summary>The ids after the call; -1 ("unchanged") and arguments a variant does not take keep the current value.</summary>
    internal static (long Real, long Effective, long Fs) NewIds(int nr, long[] args, uint real, uint effective, uint fs, bool user)
    {
        static long Or(long value, uint current) => (uint)value == uint.MaxValue ? current : (uint)value;
        var single = user ? Syscalls.Setuid : Syscalls.Setgid;
        var re = user ? Syscalls.Setreuid : Syscalls.Setregid;
        var res = user ? Syscalls.Setresuid : Syscalls.Setresgid;
        if (nr == single) return (Or(args[0], real), Or(args[0], effective), Or(args[0], fs));
        if (nr == re) return (Or(args[0], real), Or(args[1], effective), Or(args[1], fs));
        if (nr == res) return (Or(args[0], real), Or(args[1], effective), Or(args[1], fs));
        return (real, effective, Or(args[0], fs)); // setfsuid/setfsgid
    }

    /// <summary>capset's data: two {effective, permitted, inheritable} u32 triples (low and high 32 capability bits).</summary>
    internal static (long Effective, long Permitted) CapsetValues(byte[]? data)
    {
        if (data is null || data.Length < 24) return (0, 0);
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(data.AsSpan(0, 24));
        return ((long)words[0] | (long)words[3] << 32, (long)words[1] | (long)words[4] << 32);
    }
}
