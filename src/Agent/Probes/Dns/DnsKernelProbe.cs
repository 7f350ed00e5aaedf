using System.Threading.Channels;

namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// The raw-socket DNS probe as a pipeline probe: each query seen leaving the host becomes a
/// <see cref="KernelEventKind.Dns"/> event (its pid is a best-effort attribution, see <see cref="DnsQueryRecord"/>).
/// </summary>
public sealed class DnsKernelProbe(DnsProbeOptions options) : IProbe
{
    private readonly RecordForwarder<DnsQueryRecord> _forwarder = new();
    private RawSocketDnsProbe? _probe;
    private bool _started;

    public IReadOnlyList<string> Domains { get; } = ["dns"];

    public string Name => "raw_socket";

    public ProbeStatus Status => _probe is null
        ? new ProbeStatus(ProbeState.NotStarted, "not started")
        : new ProbeStatus(!_started ? ProbeState.Failed : _forwarder.Running ? ProbeState.Running : ProbeState.Stopped, _probe.Status,
            _forwarder.Forwarded, _probe.KernelLosses + _probe.ChannelDrops + _forwarder.Dropped);

    public bool Start(ChannelWriter<KernelEvent> events)
    {
        _probe = new RawSocketDnsProbe(options, _forwarder.Writer);
        if (!_probe.Start())
            return false;
        _forwarder.Start(events, record => new KernelEvent
        {
            Kind = KernelEventKind.Dns, Source = Name, Pid = record.Pid ?? 0, Tid = record.Pid ?? 0,
            TimestampNs = RecordForwarder<DnsQueryRecord>.Nanoseconds(record.Timestamp), Dns = record,
            Missing = record.Pid is null ? "pid" : "",
        });
        return _started = true;
    }

    public void Stop()
    {
        _probe?.Stop();
        _forwarder.Stop();
    }

    public void Dispose()
    {
        Stop();
        _probe?.Dispose();
    }
}
