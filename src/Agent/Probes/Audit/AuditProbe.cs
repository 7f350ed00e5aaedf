using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using Vigil.Agent.Interop;

namespace Vigil.Agent.Probes.Audit;

/// <summary>
/// Fallback when eBPF is unavailable: the kernel audit subsystem over netlink, with the agent registered
/// as the audit daemon and one exit rule for execve/execveat and the kernel-activity syscalls. Gives exact
/// argv and credentials (no environment, no fork/exit). Audit state is global: it is snapshotted at start
/// and restored (enabled flag, daemon pid, backlog, our rule removed) on stop.
/// </summary>
public sealed unsafe class AuditProbe : IProbe
{
    private const string RuleKey = "vigil-agent";
    private static readonly int[] Watched =
    [
        59, 322, Syscalls.Ptrace, Syscalls.Bpf, Syscalls.Kill, Syscalls.Tkill, Syscalls.Tgkill, Syscalls.Setuid, Syscalls.Setgid,
        Syscalls.Setreuid, Syscalls.Setregid, Syscalls.Setresuid, Syscalls.Setresgid, Syscalls.Setfsuid, Syscalls.Setfsgid,
        Syscalls.Capset, Syscalls.InitModule, Syscalls.FinitModule, Syscalls.Mount, Syscalls.Umount,
    ];
    private readonly byte[] _rule = AuditNetlink.SyscallRule(Watched, RuleKey);
    private int _fd = -1;
    private AuditNetlink.Status _saved;
    private bool _ruleAdded, _statusChanged;
    private Thread? _thread;
    private volatile bool _stopping;
    private ChannelWriter<KernelEvent>? _writer;
    private long _events, _lost;
    private ProbeState _state = ProbeState.NotStarted;
    private string _detail = "not started";

    public IReadOnlyList<string> Domains { get; } = ["process", "kernel"];

    public string Name => "audit";

    public ProbeStatus Status => new(_state, _detail, Interlocked.Read(ref _events), Interlocked.Read(ref _lost));

    public bool Start(ChannelWriter<KernelEvent> events)
    {
        _writer = events;
        _fd = AuditNetlink.Open();
        if (_fd < 0) return Fail($"audit netlink socket failed (errno {-_fd})");
        var result = AuditNetlink.GetStatus(_fd, out _saved);
        if (result != 0) return Fail($"reading the audit status failed (errno {-result}; needs CAP_AUDIT_CONTROL)");
        if (_saved.Pid != 0 && _saved.Pid != Environment.ProcessId && Directory.Exists($"/proc/{_saved.Pid}"))
            return Fail($"another audit daemon (pid {_saved.Pid}) is registered");
        _statusChanged = true;
        result = AuditNetlink.SetStatus(_fd, AuditNetlink.MaskEnabled | AuditNetlink.MaskPid | AuditNetlink.MaskBacklogLimit,
            new AuditNetlink.Status(1, (uint)Environment.ProcessId, Math.Max(_saved.BacklogLimit, 8192)));
        if (result != 0) return Fail($"registering as the audit daemon failed (errno {-result})");
        result = AuditNetlink.Request(_fd, AuditNetlink.AddRule, _rule);
        if (result != 0 && result != -17 /* EEXIST: left by a crashed agent, ours now */) return Fail($"adding the audit rule failed (errno {-result})");
        _ruleAdded = true;
        _thread = new Thread(Read) { IsBackground = true, Name = "vigil-audit" };
        _thread.Start();
        _state = ProbeState.Running;
        _detail = $"audit netlink, exit rule on {Watched.Length} syscalls (exec argv and credentials; no env, fork or exit)";
        return true;
    }

    private void Read()
    {
        var parser = new AuditRecordParser(Environment.ProcessId);
        var buffer = new byte[16 * 1024];
        while (!_stopping)
        {
            nint read;
            fixed (byte* p = buffer) read = Libc.Recv(_fd, p, (nuint)buffer.Length, 0);
            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is 11 or 4) continue;
                if (errno == 105) { Interlocked.Increment(ref _lost); continue; }
                _state = ProbeState.Failed;
                _detail = $"audit read failed (errno {errno})";
                return;
            }
            if (read <= 16) continue;
            // One record per datagram; nlmsg_len of audit records excludes the header, so it is not trusted.
            var type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(4));
            var text = Encoding.UTF8.GetString(buffer, 16, (int)read - 16).TrimEnd('\0');
            try
            {
                if (parser.Add(type, text) is not { } evt) continue;
                Interlocked.Increment(ref _events);
                if (!_writer!.TryWrite(evt)) Interlocked.Increment(ref _lost);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                Interlocked.Increment(ref _lost);
            }
        }
    }

    private bool Fail(string detail)
    {
        _state = ProbeState.Failed;
        _detail = detail;
        Restore();
        return false;
    }

    /// <summary>Removes our rule and puts back the enabled flag, daemon pid and backlog limit seen at start.</summary>
    private void Restore()
    {
        if (_fd < 0) return;
        if (_ruleAdded) _ = AuditNetlink.Request(_fd, AuditNetlink.DelRule, _rule);
        _ruleAdded = false;
        if (_statusChanged)
            _ = AuditNetlink.SetStatus(_fd, AuditNetlink.MaskEnabled | AuditNetlink.MaskPid | AuditNetlink.MaskBacklogLimit, _saved);
        _statusChanged = false;
        _ = Libc.Close(_fd);
        _fd = -1;
    }

    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
        _thread = null;
        Restore();
        if (_state == ProbeState.Running) _state = ProbeState.Stopped;
    }

    public void Dispose() => Stop();
}
