using System.Numerics;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

public sealed partial class SeclRuleSet
{
    /// <summary>
    /// Every string index of one stored field (exact values, prefixes, suffixes, directories): the
    /// value is read from the event once and offered to each index, instead of once per index.
    /// </summary>
    private sealed class StringProbe
    {
        private StringProbe(SeclField field, int iteratorId)
        {
            StorageId = field.StorageId;
            IteratorId = iteratorId;
            IsList = field.IsList;
        }

        public int StorageId { get; }

        /// <summary>Slot of the event's value array where this field was last found (see <see cref="SeclValueBag.TryGet(int, ref int, out SeclValue)"/>).</summary>
        public int SlotHint;

        public int IteratorId { get; }
        public bool IsList { get; }
        public StringIndex? Exact { get; private set; }
        public AffixIndex? Prefix { get; private set; }
        public AffixIndex? Suffix { get; private set; }
        public PathIndex? Path { get; private set; }
        public ContainsIndex[] Contains { get; private set; } = [];

        /// <summary>For a list field: the <see cref="SeclCharSet"/> of every key of its indexes (a list that has none can be skipped unread).</summary>
        public ulong[] ListKeys { get; private set; } = [];

        /// <summary>Rules that accept an unset single-valued field (it reads as ""), or null.</summary>
        public SeclRule[]? UnsetCandidates { get; private set; }

        public static StringProbe[] Group(StringIndex[] exact, PathIndex[] paths, AffixIndex[] affixes, ContainsIndex[] contains)
        {
            var byField = new Dictionary<int, StringProbe>();
            var order = new List<StringProbe>();
            StringProbe For(SeclField field, int iteratorId)
            {
                if (byField.TryGetValue(field.StorageId, out var probe)) return probe;
                probe = new StringProbe(field, iteratorId);
                byField[field.StorageId] = probe;
                order.Add(probe);
                return probe;
            }
            foreach (var index in exact)
            {
                var probe = For(index.Field, index.IteratorId);
                probe.Exact = index;
                if (!index.Field.IsList && index.Rules.TryGetValue("", out var unset)) probe.UnsetCandidates = unset;
            }
            foreach (var index in affixes)
            {
                var probe = For(index.Field, index.IteratorId);
                if (index.Suffix) probe.Suffix = index; else probe.Prefix = index;
            }
            foreach (var index in paths) For(index.Field, -1).Path = index; // path approvers are never iterated
            foreach (var index in contains)
            {
                var probe = For(index.Field, index.IteratorId);
                probe.Contains = [.. probe.Contains, index];
            }
            foreach (var probe in order.Where(p => p.IsList)) probe.ListKeys = [.. probe.Keys().Select(SeclCharSet.OfKey).Distinct()];
            return [.. order];
        }

        private IEnumerable<string> Keys() =>
            (Exact?.Rules.Keys ?? []).Concat(Prefix?.BySpan.Dictionary.Keys ?? []).Concat(Suffix?.BySpan.Dictionary.Keys ?? [])
                .Concat(Contains.SelectMany(c => c.Entries.Select(e => e.Needle)));
    }

    private void Probe(SeclEvent evt, StringProbe probe, List<SeclRuleMatch> matches)
    {
        if (probe.IteratorId < 0)
        {
            ProbeBag(evt, probe, matches);
            return;
        }
        var count = evt.ElementCount(probe.IteratorId);
        for (var i = 0; i < count; i++) ProbeBag(evt.Element(probe.IteratorId, i), probe, matches);
    }

    private void ProbeBag(SeclValueBag bag, StringProbe probe, List<SeclRuleMatch> matches)
    {
        if (!bag.TryGet(probe.StorageId, ref probe.SlotHint, out var stored))
        {
            if (probe.UnsetCandidates is { } unset) TestAll(unset, matches);
            return;
        }
        if (stored.Text is { } value)
        {
            ProbeValue(value, stored.TextSummary, probe, matches);
            if (probe.Path is { } path) LookupPath(value, path, matches);
            return;
        }
        if (!SeclCharSet.AnyKeyMayOccur(probe.ListKeys, stored.TextsCharSet) || stored.Texts is not { } values) return;
        foreach (var item in values) ProbeValue(item, SeclTextSummary.Of(item), probe, matches); // list fields: any element may satisfy the rule
    }

    /// <summary>Offers one value to the field's indexes; the summary lets their filters reject it without reading the string.</summary>
    private void ProbeValue(string value, SeclTextSummary summary, StringProbe probe, List<SeclRuleMatch> matches)
    {
        if (probe.Exact is { } exact && exact.Filter.MayContain(value, summary) && exact.Rules.TryGetValue(value, out var candidates)) TestAll(candidates, matches);
        if (probe.Prefix is { } prefix) LookupAffixValue(value, summary, prefix, matches);
        if (probe.Suffix is { } suffix) LookupAffixValue(value, summary, suffix, matches);
        foreach (var index in probe.Contains)
        {
            if (!value.AsSpan().ContainsAny(index.AnyNeedle)) continue;
            foreach (var (needle, rules) in index.Entries) // rare: some needle is there, find which
            {
                if (value.Contains(needle, index.Comparison)) TestAll(rules, matches);
            }
        }
    }

    /// <summary>Looks the path up at each of its directories and as a whole: /a, /a/b, /a/b/c.</summary>
    private void LookupPath(string value, PathIndex index, List<SeclRuleMatch> matches)
    {
        if (value.Length == 0 || value[0] != '/') return;
        // The slashes up to the longest key, a directory being only hashed when some key has its length (most paths
        // have one or two such directories, or none): the first 64 characters as a bit mask of their slashes, a few
        // vector compares, and against it the mask of the keys' lengths; past 64 characters, one at a time.
        var limit = Math.Min(value.Length, index.LongestDirectory + 1);
        var head = Math.Min(limit, 64);
        var candidates = PathText.SlashPositions(value.AsSpan(0, head)) & index.KeyLengthMask & ~1UL;
        while (candidates != 0)
        {
            LookupDirectory(value, BitOperations.TrailingZeroCount(candidates), index, matches);
            candidates &= candidates - 1;
        }
        for (var end = head; end < limit; end++)
        {
            if (value[end] == '/' && index.HasKeyOfLength(end)) LookupDirectory(value, end, index, matches);
        }
        if (value.Length <= index.LongestDirectory && index.HasKeyOfLength(value.Length)) LookupDirectory(value, value.Length, index, matches);
    }

    /// <summary>The rules keyed by <c>value[..end]</c>, <paramref name="end"/> being a '/' or the end of the value.</summary>
    private void LookupDirectory(string value, int end, PathIndex index, List<SeclRuleMatch> matches)
    {
        var directory = value.AsSpan(0, end);
        if (!index.Filter.MayContain(directory) || !index.BySpan.TryGetValue(directory, out var entries)) return;
        var isWhole = end == value.Length;
        var rest = isWhole ? ReadOnlySpan<char>.Empty : value.AsSpan(end + 1);
        foreach (var entry in entries)
        {
            if (entry.IsWholePath ? !isWhole : entry.NamePrefix.Length > 0 && !rest.StartsWith(entry.NamePrefix, StringComparison.Ordinal)) continue;
            if (!GuardsHold(entry.Rule)) continue; // an AND of bits, cheaper than the glob
            if (entry.Pattern is { } glob && !glob.Matches(value)) continue; // the rule could only match through this glob here
            TestOnce(entry.Rule, matches);
        }
    }

    private void LookupAffixValue(string value, SeclTextSummary summary, AffixIndex index, List<SeclRuleMatch> matches)
    {
        if (summary.IsComplete)
        {
            if (summary.Length == 0 || !index.Filter.MayContain(index.Suffix ? summary.Last : summary.First)) return;
        }
        else if (value.Length == 0 || !index.Filter.MayContain(index.Suffix ? value[^1] : value[0])) return;
        var lengths = index.Lengths;
        for (var i = 0; i < lengths.Length; i++)
        {
            var length = lengths[i];
            if (length > value.Length) return;
            var key = index.Suffix ? value.AsSpan(value.Length - length) : value.AsSpan(0, length);
            if (index.LengthFilters[i].MayContain(key) && index.BySpan.TryGetValue(key, out var candidates)) TestAll(candidates, matches);
        }
    }
}
