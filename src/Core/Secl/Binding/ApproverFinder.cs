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
        IntComparison i when Qualifies(i) => IntTerm(i),
        IntComparison i when i.Field is not null && i.Quantifier == Quantifier.None && !i.IsIterated && !i.Field.IsList => MaskNotZero(i),
        _ => null,
    };

    private static bool Qualifies(FieldComparison comparison, bool allowCaseInsensitiveAndLists = false) =>
        comparison.Field is not null
        && (allowCaseInsensitiveAndLists || comparison.Field is { IsList: false, IsCaseInsensitive: false })
        && comparison.Field.Derivation is SeclFieldDerivation.Stored or SeclFieldDerivation.Alias
        && !comparison.IsIterated && comparison.Quantifier == Quantifier.Any;

    private static SeclApprover? StringTerm(StringFieldComparison s)
    {
        if (s.Negate || s.Field is null) return null;
        if (s.Matcher.HasOnlyExact)
            return s.Matcher.Exact.Count == 0 ? null : One(new SeclApproverTerm(s.Field, SeclApproverKind.Exact, s.Matcher.Exact.ToHashSet(s.Matcher.Exact.Comparer), null));
        if (s.Field.IsList || s.Field.IsCaseInsensitive || !s.Field.IsPath || !s.Matcher.HasNoDynamicValues) return null;
        var segments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in s.Matcher.Exact) if (FirstSegment(value, literalOnly: false) is { } segment) segments.Add(segment); else return null;
        foreach (var glob in s.Matcher.Globs) if (FirstSegment(glob.Pattern, literalOnly: true) is { } segment) segments.Add(segment); else return null;
        return One(new SeclApproverTerm(s.Field, SeclApproverKind.PathPrefix, segments, null));
    }

    /// <summary>"etc" for "/etc/x"; null when the path is relative or (for patterns) the segment has a wildcard.</summary>
    internal static string? FirstSegment(string path, bool literalOnly)
    {
        if (path.Length < 2 || path[0] != '/') return null;
        var end = path.IndexOf('/', 1);
        if (end < 0) return null; // "/x" or "/x*": a file at the root, keep it simple
        var segment = path[1..end];
        return literalOnly && segment.Contains('*') ? null : segment;
    }

    private static SeclApprover? IntTerm(IntComparison i)
    {
        if (i.Field is null) return null;
        if (i.IsPlainField && i.Operator == IntOperator.In) return One(new SeclApproverTerm(i.Field, SeclApproverKind.Exact, null, i.Set!.ToHashSet()));
        if (i.IsPlainField && i.Operator == IntOperator.Equal && i.Right.IsConstant)
            return One(new SeclApproverTerm(i.Field, SeclApproverKind.Exact, null, new HashSet<long> { i.Right.Evaluate(null!, 0) }));
        // field & MASK > 0 (or >= 1): at least one bit of MASK must be set.
        if (i.Left is IntBinary { Operator: IntArithmetic.BitAnd, Left: IntIteratedField or IntScalarField, Right.IsConstant: true } mask
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
    private static int Cost(SeclApprover approver) => approver.Terms.Sum(t => t.Kind switch
    {
        SeclApproverKind.Exact => 1,
        SeclApproverKind.PathPrefix => 20,
        _ => 100,
    } * Math.Max(1, t.Strings?.Count ?? t.Ints?.Count ?? 1));

    private static SeclApprover? Better(SeclApprover? a, SeclApprover? b) =>
        a is null ? b : b is null ? a : Cost(a) <= Cost(b) ? a : b;

    private static SeclApprover? Union(SeclApprover? a, SeclApprover? b) =>
        a is null || b is null ? null : new SeclApprover([.. a.Terms, .. b.Terms]);
}
