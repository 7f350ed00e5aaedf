using System.Threading.Channels;

namespace Vigil.Agent.Probes;

/// <summary>
/// Carries the records of a probe with its own record type (file, DNS) into the pipeline: the probe writes into
/// <see cref="Writer"/> (bounded, never blocks it), one task turns each record into a <see cref="KernelEvent"/>.
/// </summary>
internal sealed class RecordForwarder<T>
{
    private readonly Channel<T> _records = Channel.CreateBounded<T>(
        new BoundedChannelOptions(16_384) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private Task? _pump;
    private long _forwarded, _dropped;

    public ChannelWriter<T> Writer => _records.Writer;

    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Records the pipeline's channel refused (it was full).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool Running => _pump is { IsCompleted: false };

    public void Start(ChannelWriter<KernelEvent> events, Func<T, KernelEvent> toEvent) => _pump = Task.Run(async () =>
    {
        await foreach (var record in _records.Reader.ReadAllAsync())
        {
            if (events.TryWrite(toEvent(record))) Interlocked.Increment(ref _forwarded);
            else Interlocked.Increment(ref _dropped);
        }
    });

    public void Stop()
    {
        _records.Writer.TryComplete();
        _pump?.Wait(TimeSpan.FromSeconds(5));
    }

    /// <summary>Unix nanoseconds of a record's time.</summary>
    public static long Nanoseconds(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;
}
