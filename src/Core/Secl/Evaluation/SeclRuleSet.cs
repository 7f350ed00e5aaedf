using System.Collections.Frozen;
using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// Compiled rules grouped by event type and indexed by approvers: an event is only tested against
/// rules that have no approver or whose approver value equals the event's field value. Evaluating an
/// event that matches nothing allocates nothing. One instance per thread (it reuses its context).
/// </summary>
public sealed class SeclRuleSet
{
    private sealed class StringIndex(SeclField field, FrozenDictionary<string, SeclRule[]> rules)
    {
        public SeclField Field { get; } = field;
        public FrozenDictionary<string, SeclRule[]> Rules { get; } = rules;
        public FrozenDictionary<string, SeclRule[]>.AlternateLookup<ReadOnlySpan<char>> BySpan { get; } = rules.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private sealed record IntIndex(SeclField Field, FrozenDictionary<long, SeclRule[]> Rules);

    private sealed record MaskIndex(SeclField Field, long Mask, SeclRule[] Rules);

    private sealed record Bucket(SeclRule[] Unindexed, StringIndex[] Exact, IntIndex[] ExactInts, StringIndex[] Prefixes, MaskIndex[] Masks);

    private readonly FrozenDictionary<string, Bucket> _buckets;
    private readonly SeclContext _context = new();
    private readonly TimeProvider _clock;
    private readonly int[] _seen;
    private int _generation;

    public SeclRuleSet(IEnumerable<SeclRule> rules, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        Rules = [.. rules];
        for (var i = 0; i < Rules.Count; i++) Rules[i].Index = i;
        _seen = new int[Rules.Count];
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
        var exact = new Dictionary<SeclField, Dictionary<string, List<SeclRule>>>();
        var exactInts = new Dictionary<SeclField, Dictionary<long, List<SeclRule>>>();
        var prefixes = new Dictionary<SeclField, Dictionary<string, List<SeclRule>>>();
        var masks = new Dictionary<(SeclField, long), List<SeclRule>>();
        foreach (var rule in rules)
        {
            var approver = rule.Compiled.Approver;
            if (approver is null) { unindexed.Add(rule); continue; }
            foreach (var term in approver.Terms)
            {
                var field = Canonical(term.Field);
                switch (term.Kind)
                {
                    case SeclApproverKind.Exact when term.Strings is not null:
                        foreach (var value in term.Strings) Add(exact, field, value, rule);
                        break;
                    case SeclApproverKind.Exact:
                        foreach (var value in term.Ints!) Add(exactInts, field, value, rule);
                        break;
                    case SeclApproverKind.PathPrefix:
                        foreach (var value in term.Strings!) Add(prefixes, field, value, rule);
                        break;
                    default:
                        if (!masks.TryGetValue((field, term.Mask), out var list)) masks[(field, term.Mask)] = list = [];
                        if (!list.Contains(rule)) list.Add(rule);
                        break;
                }
            }
        }
        return new Bucket([.. unindexed],
            [.. exact.Select(e => new StringIndex(e.Key, Freeze(e.Value, e.Key.IsCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)))],
            [.. exactInts.Select(e => new IntIndex(e.Key, Freeze(e.Value, EqualityComparer<long>.Default)))],
            [.. prefixes.Select(e => new StringIndex(e.Key, Freeze(e.Value, StringComparer.Ordinal)))],
            [.. masks.Select(m => new MaskIndex(m.Key.Item1, m.Key.Item2, [.. m.Value]))]);
    }

    /// <summary>Aliases (container.id) share the storage of their source: index them under it.</summary>
    private static SeclField Canonical(SeclField field) => field.Derivation == SeclFieldDerivation.Alias && field.Source is not null ? field.Source : field;

    private static void Add<TKey>(Dictionary<SeclField, Dictionary<TKey, List<SeclRule>>> index, SeclField field, TKey key, SeclRule rule) where TKey : notnull
    {
        if (!index.TryGetValue(field, out var byValue)) index[field] = byValue = [];
        if (!byValue.TryGetValue(key, out var list)) byValue[key] = list = [];
        if (!list.Contains(rule)) list.Add(rule);
    }

    private static FrozenDictionary<TKey, SeclRule[]> Freeze<TKey>(Dictionary<TKey, List<SeclRule>> source, IEqualityComparer<TKey> comparer) where TKey : notnull =>
        source.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), comparer);

    /// <summary>Adds the rules that match <paramref name="evt"/> to <paramref name="matches"/> (in rule order); returns how many.</summary>
    public int Evaluate(SeclEvent evt, List<SeclRuleMatch> matches)
    {
        if (!_buckets.TryGetValue(evt.EventType, out var bucket)) return 0;
        _context.Reset(evt, _clock);
        if (++_generation == int.MaxValue) { Array.Clear(_seen); _generation = 1; }
        var before = matches.Count;
        foreach (var rule in bucket.Unindexed) Test(rule, matches);
        foreach (var index in bucket.Exact)
        {
            FieldAccess.GetStrings(evt, evt, index.Field, out var value, out var values);
            if (value is not null && index.Rules.TryGetValue(value, out var candidates)) TestAll(candidates, matches);
            if (values is null) continue;
            foreach (var item in values) // list fields: any element may satisfy the rule
            {
                if (index.Rules.TryGetValue(item, out candidates)) TestAll(candidates, matches);
            }
        }
        foreach (var index in bucket.ExactInts)
        {
            FieldAccess.GetInts(evt, evt, index.Field, out var value, out _);
            if (index.Rules.TryGetValue(value, out var candidates)) TestAll(candidates, matches);
        }
        foreach (var index in bucket.Prefixes)
        {
            FieldAccess.GetStrings(evt, evt, index.Field, out var value, out _);
            if (value is null || value.Length < 2 || value[0] != '/') continue;
            var end = value.IndexOf('/', 1);
            if (end > 0 && index.BySpan.TryGetValue(value.AsSpan(1, end - 1), out var candidates)) TestAll(candidates, matches);
        }
        foreach (var index in bucket.Masks)
        {
            FieldAccess.GetInts(evt, evt, index.Field, out var value, out _);
            if ((value & index.Mask) != 0) TestAll(index.Rules, matches);
        }
        var added = matches.Count - before;
        if (added > 1) matches.Sort(before, added, MatchOrder.Instance);
        return added;
    }

    private void TestAll(SeclRule[] candidates, List<SeclRuleMatch> matches)
    {
        foreach (var rule in candidates)
        {
            if (_seen[rule.Index] == _generation) continue; // a rule can be reached through several approver terms
            _seen[rule.Index] = _generation;
            Test(rule, matches);
        }
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
