using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Policy;

namespace Vigil.Agent.Rules;

/// <summary>
/// Loads local policy files with the SECL engine and evaluates events: per-rule rate limits (Datadog's
/// buckets) and <c>set</c> actions (applied by the rule set on match). Single-threaded, like the rule set.
/// </summary>
public sealed class RuleHost
{
    private readonly SeclRateLimiter _limiter = new();
    private readonly List<SeclRuleMatch> _matches = [];

    private SeclLoadResult _loaded;

    private RuleHost(SeclLoadResult loaded) => _loaded = loaded;

    public SeclLoadResult Loaded => Volatile.Read(ref _loaded);

    /// <summary>
    /// Replaces the rules (remote configuration) with one reference write: the evaluating thread reads the rule
    /// set once per event, so each event is judged by the whole old set or the whole new one, never by none.
    /// Compile the new set before calling this; rate-limit counters carry over by rule id.
    /// </summary>
    public void Swap(SeclLoadResult next) => Volatile.Write(ref _loaded, next);

    public SeclRuleSet RuleSet => Loaded.RuleSet;

    /// <summary>Event types at least one loaded rule needs (optional probes load only for these).</summary>
    public IReadOnlySet<string> EventTypes => RuleSet.Rules.Select(r => r.EventType).ToHashSet(StringComparer.Ordinal);

    /// <summary>Rate-limit counters per rule id (allowed, dropped).</summary>
    public IReadOnlyDictionary<string, (long Allowed, long Dropped)> Counters => _limiter.Counters;

    /// <summary>Loads *.policy files and directories; errors are in <see cref="SeclLoadResult.Errors"/>.</summary>
    public static RuleHost Load(IEnumerable<string> paths) => new(SeclPolicyTool.Check(paths));

    public static RuleHost Empty() => new(SeclPolicyLoader.Load());

    /// <summary>Rules that match and pass their rate limit, in rule order. The list is reused by the next call.</summary>
    public IReadOnlyList<SeclRule> Evaluate(SeclEvent evt)
    {
        _matches.Clear();
        var ruleSet = Loaded.RuleSet; // read once: a concurrent Swap takes effect at the next event
        ruleSet.Evaluate(evt, _matches);
        var allowed = new List<SeclRule>(_matches.Count);
        var now = evt.TimestampNanoseconds != 0 ? evt.TimestampNanoseconds : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        foreach (var match in _matches)
        {
            // A kill/block rule's match always reaches the action (the event reports what it did): the limiter counts it but never drops it.
            if (_limiter.Allow(match.Rule, evt, now) || HasProtectionAction(match.Rule)) allowed.Add(match.Rule);
        }
        return allowed;
    }

    private static bool HasProtectionAction(SeclRule rule) => rule.OtherActions.Any(a => a.Kind is "kill" or "block");
}
