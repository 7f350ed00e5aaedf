using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Vigil.Agent.Interop;

namespace Vigil.Agent.Probes.ProcConnector;

/// <summary>
/// Last-resort process probe: the netlink proc connector (fork, exec, exit, uid/gid changes, ptrace
/// attach). Exec carries only pids, so the process cache reads path, argv and env from /proc and marks
/// what it could not read. Needs CAP_NET_ADMIN; any number of listeners may join.
/// </summary>
public sealed unsafe class ProcConnectorProbe : IProbe
{
    private const int NetlinkConnector = 11, CnIdxProc = 1, CnValProc = 1;
    private const uint Fork = 1, Exec = 2, Uid = 4, Ptrace = 0x100, Gid = 0x40, Exit = 0x80000000;
    private int _fd = -1;
    private Thread? _thread;
    private volatile bool _stopping;
    private ChannelWriter<KernelEvent>? _writer;
    private long _events, _lost, _monoToWall;
    private ProbeState _state = ProbeState.NotStarted;
    private string _detail = "not started";

    public IReadOnlyList<string> Domains { get; } = ["process"];

    public string Name => "proc_connector";

    public ProbeStatus Status => new(_state, _detail, Interlocked.Read(ref _events), Interlocked.Read(ref _lost));

    public bool Start(ChannelWriter<KernelEvent> events)
    {
        _writer = events;
        _fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, NetlinkConnector);
        if (_fd < 0) return Fail($"netlink connector socket failed (errno {Marshal.GetLastPInvokeError()})");
        var address = stackalloc byte[12];
        new Span<byte>(address, 12).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(address, 2), Libc.AF_NETLINK);
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(address + 8, 4), CnIdxProc);
        if (Libc.Bind(_fd, address, 12) != 0) return Fail($"binding the proc connector failed (errno {Marshal.GetLastPInvokeError()}; needs CAP_NET_ADMIN)");
        var size = 32 * 1024 * 1024;
        _ = Libc.SetSockOpt(_fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, &size, 4);
        var timeout = stackalloc long[2] { 0, 200_000 }; // 200 ms, so Stop is noticed
        _ = Libc.SetSockOpt(_fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, 16);

        // nlmsghdr(16) + cn_msg(20) + PROC_CN_MCAST_LISTEN
        var message = stackalloc byte[40];
        var span = new Span<byte>(message, 40);
        span.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(span, 40);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], 3); // NLMSG_DONE
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)Environment.ProcessId);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], CnIdxProc);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], CnValProc);
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[36..], 1); // PROC_CN_MCAST_LISTEN
        if (Libc.Send(_fd, message, 40, 0) != 40) return Fail($"subscribing to the proc connector failed (errno {Marshal.GetLastPInvokeError()})");

        _monoToWall = Libc.Now(Libc.CLOCK_REALTIME) - Libc.Now(Libc.CLOCK_MONOTONIC);
        _thread = new Thread(Read) { IsBackground = true, Name = "vigil-proc-connector" };
        _thread.Start();
        _state = ProbeState.Running;
        _detail = "netlink proc connector (fork/exec/exit/uid/gid/ptrace; exec details read from /proc)";
        return true;
    }

    private void Read()
    {
        var buffer = new byte[64 * 1024];
        while (!_stopping)
        {
            nint read;
            fixed (byte* p = buffer) read = Libc.Recv(_fd, p, (nuint)buffer.Length, 0);
            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is 11 or 4) continue; // EAGAIN (timeout), EINTR
                if (errno == 105) { Interlocked.Increment(ref _lost); continue; } // ENOBUFS: the kernel dropped events
                _state = ProbeState.Failed;
                _detail = $"proc connector read failed (errno {errno})";
                return;
            }
            Parse(buffer.AsSpan(0, (int)read));
        }
    }

    /// <summary>Layout: nlmsghdr(16) cn_msg(20) proc_event{what u32, cpu u32, timestamp u64 (unaligned at 44), union at 52}.</summary>
    private void Parse(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < 52) return;
        var what = BinaryPrimitives.ReadUInt32LittleEndian(datagram[36..]);
        var timestamp = (long)BinaryPrimitives.ReadUInt64LittleEndian(datagram[44..]) + _monoToWall;
        var payload = datagram[52..].ToArray();
        var data = payload.AsSpan();
        int U(int index) => (int)BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(index * 4));
        KernelEvent? evt = what switch
        {
            Fork when data.Length >= 16 && U(2) == U(3) => new KernelEvent { Kind = KernelEventKind.Fork, Source = Name, Pid = U(3), Tid = U(2), Ppid = U(1), TimestampNs = timestamp },
            Exec when data.Length >= 8 && U(0) == U(1) => new KernelEvent { Kind = KernelEventKind.Exec, Source = Name, Pid = U(1), Tid = U(0), TimestampNs = timestamp },
            Exit when data.Length >= 24 && U(0) == U(1) => new KernelEvent { Kind = KernelEventKind.Exit, Source = Name, Pid = U(1), Tid = U(0), Ppid = U(5), TimestampNs = timestamp, ExitStatus = U(2) },
            Uid when data.Length >= 16 => IdChange(Syscalls.Setresuid, U(1), U(2), U(3), timestamp),
            Gid when data.Length >= 16 => IdChange(Syscalls.Setresgid, U(1), U(2), U(3), timestamp),
            Ptrace when data.Length >= 16 && U(3) != 0 => new KernelEvent
            {
                Kind = KernelEventKind.Syscall, Source = Name, Pid = U(3), Tid = U(2), TimestampNs = timestamp,
                Syscall = Syscalls.Ptrace, Args = [16 /* PTRACE_ATTACH */, U(1), 0, 0, 0, 0],
            },
            _ => null,
        };
        if (evt is null) return;
        Interlocked.Increment(ref _events);
        if (!_writer!.TryWrite(evt)) Interlocked.Increment(ref _lost);
    }

    /// <summary>The connector reports the ids after the change (real, effective), so it becomes a set*res*id with saved unchanged.</summary>
    private KernelEvent IdChange(int syscall, int tgid, int real, int effective, long timestamp) => new()
    {
        Kind = KernelEventKind.Syscall, Source = Name, Pid = tgid, Tid = tgid, TimestampNs = timestamp, Syscall = syscall,
        Args = [real, effective, -1, 0, 0, 0],
    };

    private bool Fail(string detail)
    {
        _state = ProbeState.Failed;
        _detail = detail;
        if (_fd >= 0) _ = Libc.Close(_fd);
        _fd = -1;
        return false;
    }

    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
        _thread = null;
        if (_fd >= 0) _ = Libc.Close(_fd);
        _fd = -1;
        if (_state == ProbeState.Running) _state = ProbeState.Stopped;
    }

    public void Dispose() => Stop();
}
