using System.Collections.Frozen;
using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

public sealed partial class SeclRuleSet
{
    private sealed record StringIndex(SeclField Field, int IteratorId, FrozenDictionary<string, SeclRule[]> Rules)
    {
        public int StorageId { get; } = Field.StorageId;

        public KeyFilter Filter { get; } = KeyFilter.Create(Rules.Keys, Field.IsCaseInsensitive);
    }

    private sealed record IntIndex(SeclField Field, int IteratorId, FrozenDictionary<long, SeclRule[]> Rules);

    private readonly record struct PathEntry(SeclRule Rule, string NamePrefix, bool IsWholePath, Glob? Pattern);

    private sealed class PathIndex(SeclField field, FrozenDictionary<string, PathEntry[]> entries)
    {
        public SeclField Field { get; } = field;
        public int StorageId { get; } = field.StorageId;
        public KeyFilter Filter { get; } = KeyFilter.Create(entries.Keys, false);
        public FrozenDictionary<string, PathEntry[]>.AlternateLookup<ReadOnlySpan<char>> BySpan { get; } = entries.GetAlternateLookup<ReadOnlySpan<char>>();

        /// <summary>A path's directories longer than this cannot be keys: the walk stops there.</summary>
        public int LongestDirectory { get; } = entries.Keys.Max(k => k.Length);

        private readonly bool[] _keyLengths = KeyLengths(entries.Keys);

        public bool HasKeyOfLength(int length) => _keyLengths[length];

        /// <summary>Bit n set when some key is n characters long (n below 64).</summary>
        public ulong KeyLengthMask { get; } = entries.Keys.Where(k => k.Length < 64).Aggregate(0UL, (mask, key) => mask | 1UL << key.Length);

        private static bool[] KeyLengths(IEnumerable<string> keys)
        {
            var lengths = new bool[keys.Max(k => k.Length) + 1];
            foreach (var key in keys) lengths[key.Length] = true;
            return lengths;
        }
    }

    private sealed record MaskIndex(SeclField Field, long Mask, SeclRule[] Rules)
    {
        public int StorageId { get; } = Field.StorageId;

        /// <summary>Where the field was last found in an event (a guess that saves the scan).</summary>
        public int SlotHint;
    }

    /// <summary>Rules keyed by a literal start or end of the value; looked up once per distinct key length.</summary>
    private sealed class AffixIndex(SeclField field, int iteratorId, bool suffix, FrozenDictionary<string, SeclRule[]> rules)
    {
        public SeclField Field { get; } = field;
        public int StorageId { get; } = field.StorageId;
        public int IteratorId { get; } = iteratorId;
        public bool Suffix { get; } = suffix;
        public int[] Lengths { get; } = [.. rules.Keys.Select(k => k.Length).Distinct().Order()];
        /// <summary>The keys' first characters (prefixes) or last characters (suffixes): the check before any length.</summary>
        public KeyFilter Filter { get; } = KeyFilter.Create(rules.Keys.Select(k => suffix ? k[^1..] : k[..1]), field.IsCaseInsensitive);

        /// <summary>Per entry of <see cref="Lengths"/>: first and last characters of the keys of that length.</summary>
        public KeyFilter[] LengthFilters { get; } = [.. rules.Keys.Select(k => k.Length).Distinct().Order()
            .Select(length => KeyFilter.Create(rules.Keys.Where(k => k.Length == length), field.IsCaseInsensitive))];
        public FrozenDictionary<string, SeclRule[]>.AlternateLookup<ReadOnlySpan<char>> BySpan { get; } = rules.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Rules found by a substring of an element of a list field (argv): one vectorised scan for all needles.</summary>
    private sealed class ContainsIndex(SeclField field, int iteratorId, bool ignoreCase, (string Needle, SeclRule[] Rules)[] entries)
    {
        public SeclField Field { get; } = field;
        public int IteratorId { get; } = iteratorId;
        public StringComparison Comparison { get; } = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        public (string Needle, SeclRule[] Rules)[] Entries { get; } = entries;
        public System.Buffers.SearchValues<string> AnyNeedle { get; } =
            System.Buffers.SearchValues.Create([.. entries.Select(e => e.Needle)], ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    /// <summary>The rules of one event type, split by how they are found.</summary>
    private sealed record Bucket(SeclRule[] Unindexed, StringIndex[] Exact, IntIndex[] ExactInts, PathIndex[] Paths, MaskIndex[] Masks, AffixIndex[] Affixes, ContainsIndex[] Contains)
    {
        /// <summary>The string indexes grouped by field, so that each field is read once per event (or element).</summary>
        public StringProbe[] Probes { get; } = StringProbe.Group(Exact, Paths, Affixes, Contains);

        public static Bucket Build(SeclRule[] rules)
        {
            var unindexed = new List<SeclRule>();
            var exact = new Dictionary<SeclField, Dictionary<string, List<SeclRule>>>();
            var exactInts = new Dictionary<SeclField, Dictionary<long, List<SeclRule>>>();
            var paths = new Dictionary<SeclField, Dictionary<string, List<PathEntry>>>();
            var masks = new Dictionary<(SeclField, long), List<SeclRule>>();
            var affixes = new Dictionary<(SeclField Field, bool Suffix), Dictionary<string, List<SeclRule>>>();
            var contains = new Dictionary<(SeclField Field, bool IgnoreCase), Dictionary<string, List<SeclRule>>>();
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
                            if (!exact.ContainsKey(field)) exact[field] = new(field.IsCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                            foreach (var value in term.Strings) Add(exact, field, value, rule);
                            break;
                        case SeclApproverKind.Exact:
                            foreach (var value in term.Ints!) Add(exactInts, field, value, rule);
                            break;
                        case SeclApproverKind.PathPrefix:
                            if (!paths.TryGetValue(field, out var byDirectory)) paths[field] = byDirectory = new(StringComparer.Ordinal);
                            foreach (var prefix in term.Prefixes)
                            {
                                if (!byDirectory.TryGetValue(prefix.Directory, out var entries)) byDirectory[prefix.Directory] = entries = [];
                                entries.Add(new PathEntry(rule, prefix.NamePrefix, prefix.IsWholePath, prefix.Pattern));
                            }
                            break;
                        case SeclApproverKind.StringPrefix or SeclApproverKind.StringSuffix:
                            var key = (field, term.Kind == SeclApproverKind.StringSuffix);
                            if (!affixes.TryGetValue(key, out var byAffix))
                                affixes[key] = byAffix = new(field.IsCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                            foreach (var value in term.Strings!)
                            {
                                if (!byAffix.TryGetValue(value, out var affixRules)) byAffix[value] = affixRules = [];
                                if (!affixRules.Contains(rule)) affixRules.Add(rule);
                            }
                            break;
                        case SeclApproverKind.Contains:
                            var needleKey = (field, term.IgnoreCase);
                            if (!contains.TryGetValue(needleKey, out var byNeedle))
                                contains[needleKey] = byNeedle = new(term.IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                            foreach (var needle in term.Strings!)
                            {
                                if (!byNeedle.TryGetValue(needle, out var needleRules)) byNeedle[needle] = needleRules = [];
                                if (!needleRules.Contains(rule)) needleRules.Add(rule);
                            }
                            break;
                        default:
                            if (!masks.TryGetValue((field, term.Mask), out var list)) masks[(field, term.Mask)] = list = [];
                            if (!list.Contains(rule)) list.Add(rule);
                            break;
                    }
                }
            }
            return new Bucket([.. unindexed],
                [.. exact.Select(e => new StringIndex(e.Key, IteratorOf(e.Key), Freeze(e.Value, e.Key.IsCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)))],
                [.. exactInts.Select(e => new IntIndex(e.Key, IteratorOf(e.Key), Freeze(e.Value, EqualityComparer<long>.Default)))],
                [.. paths.Select(p => new PathIndex(p.Key, p.Value.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal)))],
                [.. masks.Select(m => new MaskIndex(m.Key.Item1, m.Key.Item2, [.. m.Value]))],
                [.. affixes.Select(a => new AffixIndex(a.Key.Field, IteratorOf(a.Key.Field), a.Key.Suffix,
                    Freeze(a.Value, a.Key.Field.IsCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)))],
                [.. contains.Select(c => new ContainsIndex(c.Key.Field, IteratorOf(c.Key.Field), c.Key.IgnoreCase, [.. c.Value.Select(kv => (kv.Key, kv.Value.ToArray()))]))]);
        }

        private static int IteratorOf(SeclField field) => field.Iterator is null ? -1 : SeclFieldCatalog.Linux.GetIteratorId(field.Iterator);

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
    }
}
