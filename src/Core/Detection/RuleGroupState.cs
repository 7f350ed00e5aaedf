namespace Vigil.Core.Detection;

/// <summary>
/// What a rule remembers about one group (one group key): recent hits per query for thresholds, distinct
/// values for cardinality, values seen for new-value rules, progress of a sequence. Serialized as JSON
/// and stored with the events that changed it, so it survives restarts. Bounded in size.
/// </summary>
public sealed class RuleGroupState
{
    public const int MaxDistinctValues = 10_000;
    public const int MaxSeenValues = 50_000;

    /// <summary>
    /// Threshold (count): per query, hits counted per second of event time (Unix seconds → count) inside the
    /// window. Per-second buckets keep the state small however many events a group sees; the price is that a
    /// window's edge is exact to the second (a bucket counts while any part of it is in the window).
    /// </summary>
    public Dictionary<string, SortedDictionary<long, long>> HitsPerSecond { get; set; } = [];

    /// <summary>Threshold (cardinality): per query, value → last time seen (ticks) inside the window.</summary>
    public Dictionary<string, Dictionary<string, long>> Distinct { get; set; } = [];

    /// <summary>New value: value → last time seen (ticks).</summary>
    public Dictionary<string, long> Seen { get; set; } = [];

    /// <summary>Sequence: index of the next step to match (0: not started).</summary>
    public int SequenceStep { get; set; }

    /// <summary>Sequence: time of the first step's event (ticks).</summary>
    public long SequenceStartedAt { get; set; }
}
