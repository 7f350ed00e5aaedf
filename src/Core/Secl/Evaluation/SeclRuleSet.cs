using System.Collections.Frozen;
using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// Compiled rules grouped by event type and indexed by approvers (<see cref="SeclApprover"/>): an
/// event is only tested against rules without approver and rules one of whose approver terms holds
/// for it. Evaluating an event that matches nothing allocates nothing. One instance per thread (it
/// reuses its evaluation context and its dedupe array).
/// </summary>
public sealed partial class SeclRuleSet
{
    private readonly FrozenDictionary<string, Bucket> _buckets;
    private readonly SeclContext _context = new();
    private readonly TimeProvider _clock;
    private readonly int[] _seen;

    // Per rule (by Index), its approver's guards as checked: a stored field and the bits one of which must be set.
    private readonly Guard[][] _guards;
    private int _generation;

    public SeclRuleSet(IEnumerable<SeclRule> rules, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        Rules = [.. rules];
        for (var i = 0; i < Rules.Count; i++) Rules[i].Index = i;
        _seen = new int[Rules.Count];
        _guards = [.. Rules.Select(r => r.Compiled.Approver?.Guards.Select(g => new Guard(g.Field.StorageId, g.Mask)).ToArray() ?? [])];
        _buckets = Rules.GroupBy(r => r.EventType, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => Bucket.Build([.. g]), StringComparer.Ordinal);
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

    /// <summary>Human-readable index layout per event type (for diagnostics and <c>policy check</c>).</summary>
    public string DescribeIndex()
    {
        var text = new System.Text.StringBuilder();
        foreach (var (eventType, bucket) in _buckets.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{eventType}: {bucket.Unindexed.Length} unindexed");
            foreach (var index in bucket.Exact) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"; exact {index.Field.Name} ({index.Rules.Count} values)");
            foreach (var index in bucket.ExactInts) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"; exact {index.Field.Name} ({index.Rules.Count} values)");
            foreach (var index in bucket.Paths) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"; path {index.Field.Name}");
            foreach (var index in bucket.Affixes) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"; {(index.Suffix ? "suffix" : "prefix")} {index.Field.Name} ({index.Lengths.Length} lengths)");
            foreach (var index in bucket.Contains) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"; contains {index.Field.Name} ({index.Entries.Length} needles)");
            foreach (var index in bucket.Masks) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"; mask {index.Field.Name} 0x{index.Mask:x}");
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>Number of rule expressions evaluated so far (how much work the index left).</summary>
    public long RulesTested { get; private set; }

    /// <summary>Adds the rules that match <paramref name="evt"/> to <paramref name="matches"/> (in rule order); returns how many.</summary>
    public int Evaluate(SeclEvent evt, List<SeclRuleMatch> matches)
    {
        evt.Prefetch();
        if (!_buckets.TryGetValue(evt.EventType, out var bucket)) return 0;
        _context.Reset(evt, _clock);
        if (++_generation == int.MaxValue) { Array.Clear(_seen); _generation = 1; }
        var before = matches.Count;
        foreach (var rule in bucket.Unindexed) Test(rule, matches);
        foreach (var probe in bucket.Probes) Probe(evt, probe, matches);
        foreach (var index in bucket.ExactInts) LookupExactInt(evt, index, matches);
        foreach (var index in bucket.Masks)
        {
            if (evt.TryGet(index.StorageId, ref index.SlotHint, out var stored) && (stored.Number & index.Mask) != 0) TestAll(index.Rules, matches);
        }
        var added = matches.Count - before;
        if (added > 1) matches.Sort(before, added, MatchOrder.Instance);
        return added;
    }

    private void LookupExactInt(SeclEvent evt, IntIndex index, List<SeclRuleMatch> matches)
    {
        if (index.IteratorId < 0)
        {
            FieldAccess.GetInts(evt, evt, index.Field, out var value, out _);
            if (index.Rules.TryGetValue(value, out var candidates)) TestAll(candidates, matches);
            return;
        }
        var count = evt.ElementCount(index.IteratorId);
        for (var i = 0; i < count; i++)
        {
            FieldAccess.GetInts(evt, evt.Element(index.IteratorId, i), index.Field, out var value, out _);
            if (index.Rules.TryGetValue(value, out var candidates)) TestAll(candidates, matches);
        }
    }

    private void TestAll(SeclRule[] candidates, List<SeclRuleMatch> matches)
    {
        foreach (var rule in candidates) TestOnce(rule, matches);
    }

    /// <summary>A rule can be reached through several approver terms: test it once per event.</summary>
    private void TestOnce(SeclRule rule, List<SeclRuleMatch> matches)
    {
        if (_seen[rule.Index] == _generation) return;
        _seen[rule.Index] = _generation;
        if (!GuardsHold(rule)) return;
        Test(rule, matches);
    }

    /// <summary>The bit-mask conditions the rule also requires (see <see cref="SeclApprover.Guards"/>): an AND each, before the expression.</summary>
    private bool GuardsHold(SeclRule rule)
    {
        foreach (var guard in _guards[rule.Index])
        {
            if (!_context.Event.TryGet(guard.StorageId, ref guard.SlotHint, out var stored) || (stored.Number & guard.Mask) == 0) return false;
        }
        return true;
    }

    /// <summary>A guard as checked: the field, the bits, and where the field was last found in an event (see <see cref="SeclValueBag.TryGet(int, ref int, out SeclValue)"/>).</summary>
    private sealed class Guard(int storageId, long mask)
    {
        public int StorageId { get; } = storageId;
        public long Mask { get; } = mask;
        public int SlotHint;
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
        RulesTested++;
        if (!rule.Compiled.Root!.Evaluate(_context)) return;
        matches.Add(new SeclRuleMatch(rule));
        foreach (var action in rule.SetActions) Apply(action);
    }

    private void Apply(SeclSetAction action)
    {
        long? pid = null;
        if (action.ScopeField is not null && _context.Event.Catalog.TryGetField(action.ScopeField, out var scopeField))
        {
            FieldAccess.GetInts(_context.Event, _context.Event, scopeField, out var scopePid, out _);
            pid = scopePid;
        }
        var value = action.Expression is not null ? action.Expression.Evaluate(_context) : action.Value;
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
                    foreach (var item in texts) _context.Variables.Set(_context, Qualified(action), item, true, action.Size, action.TtlNanoseconds, pid, action.Inherited);
                    return;
                }
                value = text ?? "";
            }
        }
        if (value is null) return;
        _context.Variables.Set(_context, Qualified(action), value, action.Append, action.Size, action.TtlNanoseconds, pid, action.Inherited);
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
