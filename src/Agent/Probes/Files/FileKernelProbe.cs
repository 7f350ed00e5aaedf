using System.Threading.Channels;

namespace Vigil.Agent.Probes.Files;

/// <summary>
/// The file probe (fanotify, or its inotify fallback) as a pipeline probe: its records are forwarded into the
/// pipeline's channel as <see cref="KernelEventKind.File"/> events, where the process cache adds the process.
/// </summary>
public sealed class FileKernelProbe(FileProbeOptions options) : IProbe
{
    private readonly Channel<FileActivity> _records = Channel.CreateBounded<FileActivity>(
        new BoundedChannelOptions(16_384) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private IFileProbe? _probe;
    private Task? _pump;
    private long _forwarded, _dropped;

    public IReadOnlyList<string> Domains { get; } = ["file"];

    public string Name => _probe?.Status.Contains("inotify", StringComparison.Ordinal) == true ? "inotify" : "fanotify";

    public ProbeStatus Status => _probe is null
        ? new ProbeStatus(ProbeState.NotStarted, "not started")
        : _probe.Status.Contains("unavailable", StringComparison.Ordinal)
            ? new ProbeStatus(ProbeState.Failed, _probe.Status)
            : new ProbeStatus(_pump is { IsCompleted: true } ? ProbeState.Stopped : ProbeState.Running, _probe.Status,
                Interlocked.Read(ref _forwarded), _probe.KernelLosses + _probe.ChannelDrops + Interlocked.Read(ref _dropped));

    public bool Start(ChannelWriter<KernelEvent> events)
    {
        _probe = FileProbe.Start(options, _records.Writer);
        if (_probe.Status.Contains("unavailable", StringComparison.Ordinal))
            return false;
        _pump = Task.Run(async () =>
        {
            await foreach (var record in _records.Reader.ReadAllAsync())
            {
                var evt = new KernelEvent
                {
                    Kind = KernelEventKind.File, Source = Name, Pid = record.Pid ?? 0, Tid = record.Pid ?? 0,
                    TimestampNs = (record.Timestamp - DateTimeOffset.UnixEpoch).Ticks * 100, File = record,
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
