using System.Threading.Channels;

namespace Vigil.Agent.Probes.Files;

/// <summary>
/// The file probe (fanotify, or its inotify fallback) as a pipeline probe: its records are forwarded into the
/// pipeline's channel as <see cref="KernelEventKind.File"/> events, where the process cache adds the process.
/// </summary>
public sealed class FileKernelProbe(FileProbeOptions options) : IProbe
{
    private readonly RecordForwarder<FileActivity> _forwarder = new();
    private IFileProbe? _probe;

    public IReadOnlyList<string> Domains { get; } = ["file"];

    public string Name => _probe?.Status.Contains("inotify", StringComparison.Ordinal) == true ? "inotify" : "fanotify";

    public ProbeStatus Status => _probe is null
        ? new ProbeStatus(ProbeState.NotStarted, "not started")
        : _probe.Status.Contains("unavailable", StringComparison.Ordinal)
            ? new ProbeStatus(ProbeState.Failed, _probe.Status)
            : new ProbeStatus(_forwarder.Running ? ProbeState.Running : ProbeState.Stopped, _probe.Status,
                _forwarder.Forwarded, _probe.KernelLosses + _probe.ChannelDrops + _forwarder.Dropped);

    public bool Start(ChannelWriter<KernelEvent> events)
    {
        _probe = FileProbe.Start(options, _forwarder.Writer);
        if (_probe.Status.Contains("unavailable", StringComparison.Ordinal))
            return false;
        _forwarder.Start(events, record => new KernelEvent
        {
            Kind = KernelEventKind.File, Source = Name, Pid = record.Pid ?? 0, Tid = record.Pid ?? 0,
            TimestampNs = RecordForwarder<FileActivity>.Nanoseconds(record.Timestamp), File = record,
            Missing = record.Pid is null ? "pid" : "",
        });
        return true;
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
