using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Vigil.Agent.Shipping;

/// <summary>
/// What the agent saw, matched, sent and lost, for the heartbeat and <c>status</c>. Thread-safe; every
/// counter only grows (from the start of the process), except the spool figures, which are current.
/// </summary>
public sealed class ShipperCounters
{
    private long _seen, _matched, _enqueued, _sent, _duplicateBatches, _sentBatches, _retries;
    private long _queueDropped, _spoolDropped, _rejected, _rejectedBatches;
    private readonly ConcurrentDictionary<string, long> _kernelLosses = new(StringComparer.Ordinal);

    /// <summary>Kernel events the probes delivered (reported by the pipeline).</summary>
    public long Seen => Interlocked.Read(ref _seen);
    /// <summary>Events that matched an agent rule (reported by the pipeline).</summary>
    public long Matched => Interlocked.Read(ref _matched);
    public long Enqueued => Interlocked.Read(ref _enqueued);
    /// <summary>Events Ingest accepted (or had already stored: a re-sent batch).</summary>
    public long Sent => Interlocked.Read(ref _sent);
    public long SentBatches => Interlocked.Read(ref _sentBatches);
    /// <summary>Batches Ingest answered "already stored" (re-sent after a restart or a lost answer).</summary>
    public long DuplicateBatches => Interlocked.Read(ref _duplicateBatches);
    public long Retries => Interlocked.Read(ref _retries);
    /// <summary>Events refused because the in-memory queue was full.</summary>
    public long QueueDropped => Interlocked.Read(ref _queueDropped);
    /// <summary>Events dropped because the spool was at its size limit.</summary>
    public long SpoolDropped => Interlocked.Read(ref _spoolDropped);
    /// <summary>Events of batches Ingest refused for good (a 4xx other than 429).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);
    public long RejectedBatches => Interlocked.Read(ref _rejectedBatches);
    public long Dropped => QueueDropped + SpoolDropped + Rejected;

    /// <summary>Current spool figures (set by the spool).</summary>
    public long SpoolBytes { get; internal set; }
    public int SpoolBatches { get; internal set; }

    public void AddSeen(long count = 1) => Interlocked.Add(ref _seen, count);
    public void AddMatched(long count = 1) => Interlocked.Add(ref _matched, count);

    /// <summary>
    /// The total of events a probe has lost so far (kernel ring buffer or queue overflow, or its own full
    /// channel), as the probe counts it: call it with the probe's running total, e.g. before each heartbeat.
    /// </summary>
    public void SetProbeLosses(string probe, long total) => _kernelLosses[probe] = total;

    public long KernelLosses => _kernelLosses.Values.Sum();

    internal void AddEnqueued() => Interlocked.Increment(ref _enqueued);
    internal void AddQueueDropped() => Interlocked.Increment(ref _queueDropped);
    internal void AddSpoolDropped(long events) => Interlocked.Add(ref _spoolDropped, events);
    internal void AddRetry() => Interlocked.Increment(ref _retries);

    internal void AddSent(long events, bool duplicate)
    {
        Interlocked.Add(ref _sent, events);
        Interlocked.Increment(ref _sentBatches);
        if (duplicate)
            Interlocked.Increment(ref _duplicateBatches);
    }

    internal void AddRejected(long events)
    {
        Interlocked.Add(ref _rejected, events);
        Interlocked.Increment(ref _rejectedBatches);
    }

    /// <summary>The counters as the heartbeat's <c>agent_stats</c> object (documented in src/Agent/README.md).</summary>
    public JsonObject ToJson()
    {
        var losses = new JsonObject();
        foreach (var (probe, count) in _kernelLosses.OrderBy(p => p.Key, StringComparer.Ordinal))
            losses[probe] = count;
        return new JsonObject
        {
            ["events_seen"] = Seen,
            ["events_matched"] = Matched,
            ["events_enqueued"] = Enqueued,
            ["events_sent"] = Sent,
            ["events_dropped"] = Dropped,
            ["events_dropped_queue_full"] = QueueDropped,
            ["events_dropped_spool_full"] = SpoolDropped,
            ["events_rejected"] = Rejected,
            ["batches_sent"] = SentBatches,
            ["batches_duplicate"] = DuplicateBatches,
            ["batches_rejected"] = RejectedBatches,
            ["send_retries"] = Retries,
            ["spool_bytes"] = SpoolBytes,
            ["spool_batches"] = SpoolBatches,
            ["kernel_lost_events"] = KernelLosses,
            ["kernel_lost_events_by_probe"] = losses,
        };
    }
}
