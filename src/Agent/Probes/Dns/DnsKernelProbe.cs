using System.Threading.Channels;

namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// A DNS capture as a pipeline probe: each query seen leaving the host becomes a <see cref="KernelEventKind.Dns"/>
/// event. <see cref="Ebpf"/> knows the sending task exactly (pid, thread, comm, credentials and cgroup from the kernel);
/// <see cref="RawSocket"/> attributes by source port, best effort (see <see cref="DnsQueryRecord"/>).
/// </summary>
public sealed class DnsKernelProbe : IProbe
{
    private readonly RecordForwarder<DnsQueryRecord> _forwarder = new();
    private readonly Func<ChannelWriter<DnsQueryRecord>, IDnsCapture> _create;
    private readonly string? _fallbackReason;
    private IDnsCapture? _capture;
    private bool _started;

    private DnsKernelProbe(string name, Func<ChannelWriter<DnsQueryRecord>, IDnsCapture> create, string? fallbackReason)
    {
        Name = name;
        _create = create;
        _fallbackReason = fallbackReason;
    }

    /// <summary>The eBPF probe (vigil-dns.bpf.o): exact attribution.</summary>
    public static DnsKernelProbe Ebpf(DnsProbeOptions options) => new("ebpf_dns", output => new EbpfDnsProbe(options, output), null);

    /// <summary>The AF_PACKET fallback; <paramref name="fallbackReason"/>, why the eBPF probe is not used, ends its status.</summary>
    public static DnsKernelProbe RawSocket(DnsProbeOptions options, string? fallbackReason = null) =>
        new("raw_socket", output => new RawSocketDnsProbe(options, output), fallbackReason);

    public IReadOnlyList<string> Domains { get; } = ["dns"];

    public string Name { get; }

    public ProbeStatus Status => _capture is null
        ? new ProbeStatus(ProbeState.NotStarted, "not started")
        : new ProbeStatus(!_started ? ProbeState.Failed : _forwarder.Running ? ProbeState.Running : ProbeState.Stopped,
            _capture.Status + (_fallbackReason is null ? "" : $"; eBPF not used: {_fallbackReason}"),
            _forwarder.Forwarded, _capture.KernelLosses + _capture.ChannelDrops + _forwarder.Dropped);

    public bool Start(ChannelWriter<KernelEvent> events)
    {
        _capture = _create(_forwarder.Writer);
        if (!_capture.Start())
            return false;
        _forwarder.Start(events, ToEvent);
        return _started = true;
    }

    private KernelEvent ToEvent(DnsQueryRecord record) => new()
    {
        Kind = KernelEventKind.Dns, Source = Name, Pid = record.Pid ?? 0, Tid = record.Sender?.Tid ?? record.Pid ?? 0,
        Ppid = record.Sender?.Ppid ?? 0, TimestampNs = RecordForwarder<DnsQueryRecord>.Nanoseconds(record.Timestamp), Dns = record,
        Comm = record.Sender?.Comm, CgroupId = record.Sender?.CgroupId ?? 0,
        Credentials = record.Sender?.Credentials ?? Credentials.Unknown, CredentialsKnown = record.Sender is not null,
        Missing = record.Pid is null ? "pid" : "",
    };

    public void Stop()
    {
        _capture?.Stop();
        _forwarder.Stop();
    }

    public void Dispose()
    {
        Stop();
        _capture?.Dispose();
    }
}
