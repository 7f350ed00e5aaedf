using System.Collections.Frozen;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// Compiled rules grouped by event type and indexed by approvers: an event is only tested against
/// rules that have no approver or whose approver value equals the event's field value. Evaluating an
/// event that matches nothing allocates nothing. One instance per thread (it reuses its context).
/// </summary>
public sealed class SeclRuleSet
{
    private sealed class FieldIndex(SeclField field, FrozenDictionary<string, SeclRule[]>? strings, FrozenDictionary<long, SeclRule[]>? ints)
    {
        public SeclField Field { get; } = field;
        public FrozenDictionary<string, SeclRule[]>? Strings { get; } = strings;
        public FrozenDictionary<long, SeclRule[]>? Ints { get; } = ints;
    }

    private sealed class Bucket(SeclRule[] unindexed, FieldIndex[] indexes)
    {
        public SeclRule[] Unindexed { get; } = unindexed;
        public FieldIndex[] Indexes { get; } = indexes;
    }

    private readonly FrozenDictionary<string, Bucket> _buckets;
    private readonly SeclContext _context = new();
    private readonly TimeProvider _clock;

    public SeclRuleSet(IEnumerable<SeclRule> rules, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        Rules = [.. rules];
        for (var i = 0; i < Rules.Count; i++) Rules[i].Index = i;
        _buckets = Rules.GroupBy(r => r.EventType, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => BuildBucket([.. g]), StringComparer.Ordinal);
    }

    public IReadOnlyList<SeclRule> Rules { get; }

    /// <summary>Variables written by <c>set</c> actions; shared by all rules of this set.</summary>
    public SeclVariableStore Variables
    {
        get => _context.Variables;
        set => _context.Variables = value;
    }

    /// <summary>Number of rules that are tested on every event of their type (no approver).</summary>
    public int UnindexedRuleCount => _buckets.Values.Sum(b => b.Unindexed.Length);

    private static Bucket BuildBucket(SeclRule[] rules)
    {
        var unindexed = new List<SeclRule>();
        var byField = new Dictionary<int, (SeclField Field, Dictionary<string, List<SeclRule>> Strings, Dictionary<long, List<SeclRule>> Ints)>();
        foreach (var rule in rules)
        {
            var approver = rule.Compiled.Approver;
            if (approver is null) { unindexed.Add(rule); continue; }
            var key = approver.Field.StorageId;
            if (!byField.TryGetValue(key, out var index)) byField[key] = index = (approver.Field, new(StringComparer.Ordinal), []);
            foreach (var value in approver.Strings ?? new HashSet<string>()) (index.Strings.TryGetValue(value, out var list) ? list : index.Strings[value] = []).Add(rule);
            foreach (var value in approver.Ints ?? new HashSet<long>()) (index.Ints.TryGetValue(value, out var list) ? list : index.Ints[value] = []).Add(rule);
        }
        var indexes = byField.Values.Select(i => new FieldIndex(i.Field,
            i.Strings.Count == 0 ? null : i.Strings.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal),
            i.Ints.Count == 0 ? null : i.Ints.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray()))).ToArray();
        return new Bucket([.. unindexed], indexes);
    }

    /// <summary>Adds the rules that match <paramref name="evt"/> to <paramref name="matches"/> (in rule order); returns how many.</summary>
    public int Evaluate(SeclEvent evt, List<SeclRuleMatch> matches)
    {
        if (!_buckets.TryGetValue(evt.EventType, out var bucket)) return 0;
        _context.Reset(evt, _clock);
        var before = matches.Count;
        foreach (var rule in bucket.Unindexed) Test(rule, matches);
        foreach (var index in bucket.Indexes)
        {
            SeclRule[]? candidates = null;
            if (index.Strings is not null)
            {
                FieldAccess.GetStrings(evt, evt, index.Field, out var value, out _);
                if (value is not null) index.Strings.TryGetValue(value, out candidates);
            }
            else if (index.Ints is not null)
            {
                FieldAccess.GetInts(evt, evt, index.Field, out var value, out _);
                index.Ints.TryGetValue(value, out candidates);
            }
            if (candidates is null) continue;
            foreach (var rule in candidates) Test(rule, matches);
        }
        var added = matches.Count - before;
        if (added > 1) matches.Sort(before, added, MatchOrder.Instance);
        return added;
    }

    /// <summary>
    /// Baseline for benchmarks and tests: every rule is tested on every event (the event-type check
    /// being part of each test), without the approver index.
    /// </summary>
    public int EvaluateNaive(SeclEvent evt, List<SeclRuleMatch> matches)
    {
        _context.Reset(evt, _clock);
        var before = matches.Count;
        foreach (var rule in Rules)
        {
            if (string.Equals(rule.EventType, evt.EventType, StringComparison.Ordinal)) Test(rule, matches);
        }
        return matches.Count - before;
    }

    private void Test(SeclRule rule, List<SeclRuleMatch> matches)
    {
        if (!rule.Compiled.Root!.Evaluate(_context)) return;
        matches.Add(new SeclRuleMatch(rule));
        foreach (var action in rule.SetActions) Apply(action);
    }

    private void Apply(SeclSetAction action)
    {
        var value = action.Value;
        if (action.FieldName is not null && _context.Event.Catalog.TryGetField(action.FieldName, out var field))
        {
            if (field.Type == SeclValueType.Int)
            {
                FieldAccess.GetInts(_context.Event, _context.Event, field, out var number, out _);
                value = number;
            }
            else
            {
                FieldAccess.GetStrings(_context.Event, _context.Event, field, out var text, out var texts);
                if (texts is not null && action.Append)
                {
                    foreach (var item in texts) _context.Variables.Set(_context, Qualified(action), item, true, action.Size, action.TtlNanoseconds);
                    return;
                }
                value = text ?? "";
            }
        }
        if (value is null) return;
        _context.Variables.Set(_context, Qualified(action), value, action.Append, action.Size, action.TtlNanoseconds);
    }

    private static string Qualified(SeclSetAction action) => action.Scope switch
    {
        SeclVariableScope.Process => "process." + action.VariableName,
        SeclVariableScope.Container => "container." + action.VariableName,
        SeclVariableScope.Cgroup => "cgroup." + action.VariableName,
        _ => action.VariableName,
    };

    /// <summary>Re-evaluates a matching rule with tracing to list the sub-expressions that were true.</summary>
    public SeclMatchExplanation Explain(SeclRule rule, SeclEvent evt)
    {
        var context = new SeclContext { Variables = _context.Variables };
        context.Reset(evt, _clock);
        context.Trace = [];
        rule.Compiled.Root!.Evaluate(context);
        var matched = context.Trace.Where(n => n.Expression is not null)
            .Select(n => new SeclMatchedExpression(n.Expression!, n.Span.Start, n.Span.Length)).Distinct().ToList();
        return new SeclMatchExplanation(rule, matched);
    }

    private sealed class MatchOrder : IComparer<SeclRuleMatch>
    {
        public static readonly MatchOrder Instance = new();
        public int Compare(SeclRuleMatch x, SeclRuleMatch y) => x.Rule.Index.CompareTo(y.Rule.Index);
    }
}
