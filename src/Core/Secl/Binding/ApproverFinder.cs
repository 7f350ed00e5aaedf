using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Binding;

/// <summary>
/// Derives what a rule requires (its approver): <c>a &amp;&amp; b</c> needs what either side needs
/// (the more selective is kept), <c>a || b</c> needs one of both sides' terms. Leaves qualify when
/// they test a single-valued, case-sensitive field with an "any" quantifier: exact values, path
/// globs with a literal first segment, and <c>field &amp; MASK &gt; 0</c>.
/// </summary>
internal static class ApproverFinder
{
    public static SeclApprover? Find(SeclNode node) => node switch
    {
        AndNode and => Better(Find(and.Left), Find(and.Right)),
        OrNode or => Union(Find(or.Left), Find(or.Right)),
        StringFieldComparison s when Qualifies(s, allowCaseInsensitiveAndLists: true) => StringTerm(s),
        StringFieldComparison s when ArgvNeedles.Qualifies(s) => ArgvNeedles.Term(s),
        IntComparison i when Qualifies(i) => IntTerm(i),
        IntComparison i when i.Field is not null && i.Quantifier == Quantifier.None && !i.IsIterated && !i.Field.IsList => MaskNotZero(i),
        BoolComparison b when Qualifies(b) && !b.Field!.IsList =>
            One(new SeclApproverTerm(b.Field, SeclApproverKind.Exact, null, new HashSet<long> { b.Expected ? 1 : 0 })),
        _ => null,
    };

    private static bool Qualifies(FieldComparison comparison, bool allowCaseInsensitiveAndLists = false) =>
        comparison.Field is not null
        && (allowCaseInsensitiveAndLists || comparison.Field is { IsList: false, IsCaseInsensitive: false })
        && comparison.Field.Derivation is SeclFieldDerivation.Stored or SeclFieldDerivation.Alias
        && comparison.Quantifier == Quantifier.Any;

    private static SeclApprover? StringTerm(StringFieldComparison s)
    {
        if (s.Field is null) return null;
        if (s.Matcher.HasOnlyExact && (!s.IsIterated || !s.Field.IsList))
            return s.Matcher.Exact.Count == 0 ? null : One(new SeclApproverTerm(s.Field, SeclApproverKind.Exact, s.Matcher.Exact.ToHashSet(s.Matcher.Exact.Comparer), null));
        if (!s.Matcher.HasNoDynamicValues) return null;
        if (!s.Field.IsPath) return AffixTerm(s);
        if (s.IsIterated || s.Field.IsList || s.Field.IsCaseInsensitive) return null;
        var prefixes = new List<SeclPathPrefix>();
        foreach (var value in s.Matcher.Exact) prefixes.Add(new SeclPathPrefix(value, "") { IsWholePath = true });
        foreach (var glob in s.Matcher.Globs)
        {
            if (PathPrefix(glob.Pattern) is { } prefix) prefixes.Add(prefix);
            else return null;
        }
        return One(new SeclApproverTerm(s.Field, SeclApproverKind.PathPrefix, null, null) { Prefixes = prefixes });
    }

    /// <summary>
    /// Globs on ordinary strings: when all have a literal start (<c>~"nc*"</c>) they give a prefix term,
    /// when all have a literal end (<c>~"*.pool.org"</c>) a suffix term; exact values get their own term.
    /// </summary>
    private static SeclApprover? AffixTerm(StringFieldComparison s)
    {
        var field = s.Field!;
        HashSet<string>? prefixes = new(s.Matcher.Exact.Comparer);
        HashSet<string>? suffixes = new(s.Matcher.Exact.Comparer);
        foreach (var glob in s.Matcher.Globs)
        {
            var pattern = glob.Pattern;
            var first = pattern.IndexOf('*');
            var last = pattern.LastIndexOf('*');
            if (prefixes is not null && first > 0) prefixes.Add(pattern[..first]); else prefixes = null;
            if (suffixes is not null && last >= 0 && last < pattern.Length - 1) suffixes.Add(pattern[(last + 1)..]); else suffixes = null;
        }
        var affix = prefixes is { Count: > 0 }
            ? new SeclApproverTerm(field, SeclApproverKind.StringPrefix, prefixes, null)
            : suffixes is { Count: > 0 } ? new SeclApproverTerm(field, SeclApproverKind.StringSuffix, suffixes, null) : null;
        if (affix is null) return null;
        // Exact values of the same comparison stay exact: they are looked up by hash, not by length.
        return s.Matcher.Exact.Count == 0
            ? One(affix)
            : new SeclApprover([new SeclApproverTerm(field, SeclApproverKind.Exact, s.Matcher.Exact.ToHashSet(s.Matcher.Exact.Comparer), null), affix]);
    }

    /// <summary>Literal directory before the first wildcard segment, and the literal start of that segment.</summary>
    internal static SeclPathPrefix? PathPrefix(string pattern)
    {
        if (pattern.Length < 2 || pattern[0] != '/') return null;
        var star = pattern.IndexOf('*');
        if (star < 0) return new SeclPathPrefix(pattern, "") { IsWholePath = true };
        var slash = pattern.LastIndexOf('/', star);
        if (slash <= 0) return null; // "/*..." has no literal directory
        // "/dir/**" holds for the directory and everything under it, which is all the index offers it: no glob to run.
        if (pattern.AsSpan(slash) is "/**") return new SeclPathPrefix(pattern[..slash], "");
        return new SeclPathPrefix(pattern[..slash], pattern[(slash + 1)..star]) { Pattern = new Glob(pattern, path: true, ignoreCase: false) };
    }

    private static SeclApprover? IntTerm(IntComparison i)
    {
        if (i.Field is null || i.Field.IsList) return null;
        if (i.IsPlainField && i.Operator == IntOperator.In) return One(new SeclApproverTerm(i.Field, SeclApproverKind.Exact, null, i.Set!.ToHashSet()));
        if (i.IsPlainField && i.Operator == IntOperator.Equal && i.Right.IsConstant)
            return One(new SeclApproverTerm(i.Field, SeclApproverKind.Exact, null, new HashSet<long> { i.Right.Evaluate(null!, 0) }));
        // field & MASK > 0 (or >= 1): at least one bit of MASK must be set.
        if (!i.IsIterated && i.Left is IntBinary { Operator: IntArithmetic.BitAnd, Left: IntIteratedField or IntScalarField, Right.IsConstant: true } mask
            && i.Right.IsConstant
            && ((i.Operator == IntOperator.Greater && i.Right.Evaluate(null!, 0) == 0) || (i.Operator == IntOperator.GreaterOrEqual && i.Right.Evaluate(null!, 0) == 1)))
        {
            var bits = mask.Right.Evaluate(null!, 0);
            return bits == 0 ? null : One(new SeclApproverTerm(i.Field, SeclApproverKind.BitMask, null, null, bits));
        }
        return null;
    }

    /// <summary><c>(field &amp; MASK) != 0</c>, compiled as "none equal to 0".</summary>
    private static SeclApprover? MaskNotZero(IntComparison i)
    {
        if (i.Left is IntBinary { Operator: IntArithmetic.BitAnd, Left: IntIteratedField or IntScalarField, Right.IsConstant: true } mask
            && i.Operator == IntOperator.Equal && i.Right.IsConstant && i.Right.Evaluate(null!, 0) == 0
            && i.Field!.Derivation is SeclFieldDerivation.Stored or SeclFieldDerivation.Alias)
        {
            var bits = mask.Right.Evaluate(null!, 0);
            return bits == 0 ? null : One(new SeclApproverTerm(i.Field, SeclApproverKind.BitMask, null, null, bits));
        }
        return null;
    }

    private static SeclApprover One(SeclApproverTerm term) => new([term]);

    /// <summary>Lower is more selective: exact values beat path prefixes, which beat bit masks.</summary>
    /// <remarks>Values equal to a field's zero value ("" or 0) are what unset fields hold: they select little.</remarks>
    private static int Cost(SeclApprover approver) => approver.Terms.Sum(t => t.Kind switch
    {
        SeclApproverKind.Exact when t.Strings?.Contains("") == true || t.Ints?.Contains(0) == true => 1000,
        SeclApproverKind.Exact => t.Field.Iterator is null ? 1 : 5,
        SeclApproverKind.PathPrefix => 10,
        SeclApproverKind.StringPrefix or SeclApproverKind.StringSuffix => 15,
        // An argv substring of five or more characters (stratum+tcp, SOCK_STREAM) is rarer than a name
        // prefix such as python*; a one-letter one ("i") is in almost every argv.
        SeclApproverKind.Contains => t.Strings!.Min(n => n.Length) switch { >= 5 => 2, 4 => 20, _ => 400 },
        _ => MaskCost,
    } * Math.Max(1, t.Strings?.Count ?? t.Ints?.Count ?? t.Prefixes.Count));

    /// <summary>
    /// Both sides are required: the more selective one is kept. A side that is a single bit mask also stays as
    /// a guard of the other (checked before the expression, at the cost of an AND), and when the other side is
    /// at least as selective as a mask, the mask is only kept as that guard.
    /// </summary>
    private static SeclApprover? Better(SeclApprover? a, SeclApprover? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        var (kept, other) = IsMask(b) && !IsMask(a) && Cost(a) <= MaskCost ? (a, b)
            : IsMask(a) && !IsMask(b) && Cost(b) <= MaskCost ? (b, a)
            : Cost(a) <= Cost(b) ? (a, b) : (b, a);
        var guards = kept.Guards.Concat(other.Guards).Concat(IsMask(other) ? other.Terms : []).Distinct().ToList();
        return guards.Count == 0 ? kept : kept with { Guards = guards };
    }

    private const int MaskCost = 100;

    private static bool IsMask(SeclApprover approver) => approver.Terms is [{ Kind: SeclApproverKind.BitMask }];

    /// <summary>One side or the other: the terms of both, and no guard (a guard of one side is not required by the other).</summary>
    private static SeclApprover? Union(SeclApprover? a, SeclApprover? b) =>
        a is null || b is null ? null : new SeclApprover([.. a.Terms, .. b.Terms]);
}
