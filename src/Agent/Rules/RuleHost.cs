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

    private RuleHost(SeclLoadResult loaded) => Loaded = loaded;

    public SeclLoadResult Loaded { get; }

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
        RuleSet.Evaluate(evt, _matches);
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
