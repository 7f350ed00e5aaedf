using Vigil.Core.Domain;
using Vigil.Core.Query;
using Vigil.Core.Query.Evaluation;

namespace Vigil.Core.Detection;

/// <summary>What an event made a rule decide for its group: raise (or update) a signal with this severity.</summary>
public sealed record DetectionOutcome(Severity Severity, string? CaseName, string Reason);

/// <summary>
/// Streaming evaluation of one rule for one group, one event at a time, on the event's own timestamp
/// (so replays and out-of-order batches give the same answer as live traffic).
/// </summary>
public static class RuleEvaluator
{
    public static readonly string[] ProductionEnvironments = ["prod", "production"];

    /// <summary>The group key of an event: the values of the group-by fields (first value each), in order.</summary>
    public static string GroupKey(CompiledDetectionRule rule, IQueryDocument document)
    {
        if (rule.GroupBy.Count == 0)
            return "*";
        var parts = rule.GroupBy.Select(f => $"{f.Name}:{QueryFacets.GetFirstValue(document, f) ?? ""}");
        var key = string.Join('|', parts);
        return key.Length <= 512 ? key : key[..512];
    }

    /// <summary>
    /// Applies an event that matched <paramref name="matched"/> (names of the rule's queries) to the group's
    /// state and returns the outcome, or null when the rule does not fire.
    /// </summary>
    public static DetectionOutcome? Evaluate(
        CompiledDetectionRule rule, RuleGroupState state, IQueryDocument document, DateTime timestamp, IReadOnlySet<string> matched)
    {
        var outcome = rule.Definition.Method switch
        {
            DetectionMethod.Threshold => Threshold(rule, state, document, timestamp.Ticks, matched),
            DetectionMethod.NewValue => NewValue(rule, state, document, timestamp),
            DetectionMethod.Sequence => Sequence(rule, state, timestamp.Ticks, matched),
            _ => null,
        };
        return outcome is not null && rule.Options.DecreaseCriticalityBasedOnEnv && IsNonProduction(document)
            ? outcome with { Severity = outcome.Severity == Severity.Info ? Severity.Info : outcome.Severity - 1 }
            : outcome;
    }

    private static DetectionOutcome? Threshold(
        CompiledDetectionRule rule, RuleGroupState state, IQueryDocument document, long now, IReadOnlySet<string> matched)
    {
        var windowStart = now - TimeSpan.FromSeconds(rule.Options.EvaluationWindowSeconds).Ticks;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var query in rule.Queries)
        {
            if (query.Cardinality)
            {
                var values = state.Distinct.TryGetValue(query.Name, out var v) ? v : state.Distinct[query.Name] = [];
                if (matched.Contains(query.Name) && QueryFacets.GetFirstValue(document, query.DistinctField!) is { } value
                    && (values.ContainsKey(value) || values.Count < RuleGroupState.MaxDistinctValues))
                    values[value] = Math.Max(now, values.GetValueOrDefault(value));
                foreach (var stale in values.Where(p => p.Value < windowStart).Select(p => p.Key).ToList())
                    values.Remove(stale);
                counts[query.Name] = values.Count;
            }
            else
            {
                var buckets = state.HitsPerSecond.TryGetValue(query.Name, out var h) ? h : state.HitsPerSecond[query.Name] = [];
                if (matched.Contains(query.Name))
                    buckets[now / TimeSpan.TicksPerSecond] = buckets.GetValueOrDefault(now / TimeSpan.TicksPerSecond) + 1;
                // A bucket stays while its second ends after the window start.
                var firstKept = (windowStart / TimeSpan.TicksPerSecond);
                while (buckets.Count > 0 && buckets.First().Key < firstKept)
                    buckets.Remove(buckets.First().Key);
                counts[query.Name] = buckets.Values.Sum();
            }
        }
        foreach (var @case in rule.Cases)
        {
            if (@case.Condition.Holds(counts))
                return new DetectionOutcome(@case.Severity, @case.Name,
                    string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}")) + $" within {rule.Options.EvaluationWindowSeconds} s");
        }
        return null;
    }

    private static DetectionOutcome? NewValue(CompiledDetectionRule rule, RuleGroupState state, IQueryDocument document, DateTime timestamp)
    {
        var options = rule.Definition.Options.NewValue!;
        var values = QueryFacets.GetValues(document, rule.NewValueField!);
        if (values.Count == 0)
            return null;
        var now = timestamp.Ticks;
        var forgetBefore = now - TimeSpan.FromSeconds(options.ForgetAfterSeconds).Ticks;
        var learning = timestamp < rule.CreatedAt.AddSeconds(options.LearningDurationSeconds);
        string? newValue = null;
        foreach (var value in values)
        {
            var known = state.Seen.TryGetValue(value, out var lastSeen) && lastSeen >= forgetBefore;
            if (!known && !learning)
                newValue ??= value;
            if (state.Seen.ContainsKey(value) || state.Seen.Count < RuleGroupState.MaxSeenValues)
                state.Seen[value] = Math.Max(now, lastSeen);
        }
        if (state.Seen.Count >= RuleGroupState.MaxSeenValues)
        {
            foreach (var stale in state.Seen.Where(p => p.Value < forgetBefore).Select(p => p.Key).ToList())
                state.Seen.Remove(stale);
        }
        return newValue is null ? null : new DetectionOutcome(rule.SingleSeverity, null, $"new value of {options.Field}: {newValue}");
    }

    private static DetectionOutcome? Sequence(CompiledDetectionRule rule, RuleGroupState state, long now, IReadOnlySet<string> matched)
    {
        var options = rule.Definition.Options.Sequence!;
        var window = TimeSpan.FromSeconds(options.WindowSeconds).Ticks;
        if (state.SequenceStep > 0 && (now - state.SequenceStartedAt > window || now < state.SequenceStartedAt))
            state.SequenceStep = 0;
        if (!matched.Contains(options.Steps[state.SequenceStep]))
            return null;
        if (state.SequenceStep == 0)
            state.SequenceStartedAt = now;
        state.SequenceStep++;
        if (state.SequenceStep < options.Steps.Count)
            return null;
        state.SequenceStep = 0;
        return new DetectionOutcome(rule.SingleSeverity, null, $"{string.Join(" → ", options.Steps)} within {options.WindowSeconds} s");
    }

    private static bool IsNonProduction(IQueryDocument document)
    {
        var env = QueryFacets.GetFirstValue(document, QueryField.Parse("env"));
        return env is not null && !ProductionEnvironments.Contains(env, StringComparer.OrdinalIgnoreCase);
    }
}
