using Vigil.Core.Domain;
using Vigil.Core.Query.Evaluation;

namespace Vigil.Core.Detection;

/// <summary>A signal a rule would have raised over past events.</summary>
public sealed record ReplayedSignal(string Title, string GroupKey, Severity Severity, int EventCount, DateTime FirstSeen, DateTime LastSeen);

/// <summary>
/// Runs a rule over past events in memory, with the same evaluator and the same keep-alive and maximum
/// duration as live detection, so "test against the last 24 h" shows what saving the rule would do.
/// </summary>
public static class DetectionReplay
{
    public static IReadOnlyList<ReplayedSignal> Run(CompiledDetectionRule rule, IEnumerable<(IQueryDocument Document, DateTime Timestamp)> events)
    {
        var states = new Dictionary<string, RuleGroupState>(StringComparer.Ordinal);
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        var signals = new List<ReplayedSignal>();
        foreach (var (document, timestamp) in events.OrderBy(e => e.Timestamp))
        {
            HashSet<string>? matched = null;
            foreach (var query in rule.Queries)
                if (query.Query.Matches(document))
                    (matched ??= new HashSet<string>(StringComparer.Ordinal)).Add(query.Name);
            if (matched is null)
                continue;
            var group = RuleEvaluator.GroupKey(rule, document);
            if (!states.TryGetValue(group, out var state))
                states[group] = state = new RuleGroupState();
            if (RuleEvaluator.Evaluate(rule, state, document, timestamp, matched) is not { } outcome)
                continue;

            if (open.TryGetValue(group, out var index) && signals[index] is var current
                && timestamp - current.LastSeen <= TimeSpan.FromSeconds(rule.Options.KeepAliveSeconds)
                && timestamp - current.FirstSeen <= TimeSpan.FromSeconds(rule.Options.MaxSignalDurationSeconds))
            {
                signals[index] = current with
                {
                    EventCount = current.EventCount + 1,
                    LastSeen = timestamp,
                    Severity = outcome.Severity > current.Severity ? outcome.Severity : current.Severity,
                };
                continue;
            }
            open[group] = signals.Count;
            signals.Add(new ReplayedSignal(SignalText.Render(rule.Definition.Name, document), group, outcome.Severity, 1, timestamp, timestamp));
        }
        return signals;
    }
}
