using System.Threading.Channels;

namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// The raw-socket DNS probe as a pipeline probe: each query seen leaving the host becomes a
/// <see cref="KernelEventKind.Dns"/> event (its pid is a best-effort attribution, see <see cref="DnsQueryRecord"/>).
/// </summary>
public sealed class DnsKernelProbe(DnsProbeOptions options) : IProbe
{
    private readonly Channel<DnsQueryRecord> _records = Channel.CreateBounded<DnsQueryRecord>(
        new BoundedChannelOptions(16_384) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private RawSocketDnsProbe? _probe;
    private Task? _pump;
    private long _forwarded, _dropped;

    public IReadOnlyList<string> Domains { get; } = ["dns"];

    public string Name => "raw_socket";

    public ProbeStatus Status => _probe is null
        ? new ProbeStatus(ProbeState.NotStarted, "not started")
        : new ProbeStatus(_pump is null ? ProbeState.Failed : ProbeState.Running, _probe.Status,
            Interlocked.Read(ref _forwarded), _probe.KernelLosses + _probe.ChannelDrops + Interlocked.Read(ref _dropped));

    public bool Start(ChannelWriter<KernelEvent> events)
    {
        _probe = new RawSocketDnsProbe(options, _records.Writer);
        if (!_probe.Start())
            return false;
        _pump = Task.Run(async () =>
        {
            await foreach (var record in _records.Reader.ReadAllAsync())
            {
                var evt = new KernelEvent
                {
                    Kind = KernelEventKind.Dns, Source = Name, Pid = record.Pid ?? 0, Tid = record.Pid ?? 0,
                    TimestampNs = (record.Timestamp - DateTimeOffset.UnixEpoch).Ticks * 100, Dns = record,
                    Missing = record.Pid is null ? "pid" : "",
                };
                if (events.TryWrite(evt)) Interlocked.Increment(ref _forwarded);
                else Interlocked.Increment(ref _dropped);
            }
        });
        return true;
    }

    public void Stop()
    {
        _probe?.Stop();
        _records.Writer.TryComplete();
        _pump?.Wait(TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        Stop();
        _probe?.Dispose();
    }
}
