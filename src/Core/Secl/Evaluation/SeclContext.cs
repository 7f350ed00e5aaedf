namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// Per-evaluation state: the event, the clock for "age of" comparisons, register bindings, variables
/// and (only when explaining a match) the list of sub-expressions that were true. Reused across
/// events by one evaluator; not thread-safe.
/// </summary>
public sealed class SeclContext
{
    public const int MaxRegisters = 8;

    public SeclEvent Event { get; internal set; } = null!;

    private TimeProvider _clock = TimeProvider.System;
    private long _now;

    /// <summary>Unix nanoseconds used as "now": the event timestamp, or the clock (read once, lazily) when the event has none.</summary>
    public long Now
    {
        get
        {
            if (_now == 0) _now = _clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
            return _now;
        }
    }

    internal int[] Registers { get; } = new int[MaxRegisters];

    public SeclVariableStore Variables { get; set; } = new();

    /// <summary>When not null, comparisons that evaluate to true add themselves here.</summary>
    internal List<SeclNode>? Trace { get; set; }

    internal void Reset(SeclEvent evt, TimeProvider clock)
    {
        Event = evt;
        _clock = clock;
        _now = evt.TimestampNanoseconds;
        Array.Fill(Registers, -1);
        Trace = null;
    }
}
