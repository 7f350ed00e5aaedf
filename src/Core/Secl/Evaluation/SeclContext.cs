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

    /// <summary>Unix nanoseconds used as "now" (the event timestamp, or the clock when the event has none).</summary>
    public long Now { get; internal set; }

    internal int[] Registers { get; } = new int[MaxRegisters];

    public SeclVariableStore Variables { get; set; } = new();

    /// <summary>When not null, comparisons that evaluate to true add themselves here.</summary>
    internal List<SeclNode>? Trace { get; set; }

    internal void Reset(SeclEvent evt, TimeProvider clock)
    {
        Event = evt;
        Now = evt.TimestampNanoseconds != 0 ? evt.TimestampNanoseconds : clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        Array.Fill(Registers, -1);
        Trace = null;
    }
}
