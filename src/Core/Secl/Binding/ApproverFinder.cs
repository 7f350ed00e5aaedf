using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Binding;

/// <summary>
/// Finds the values a rule requires of one field: <c>a &amp;&amp; b</c> needs what either side needs
/// (the smaller set wins), <c>a || b</c> needs the union when both constrain the same field.
/// Only exact, single-valued, case-sensitive fields qualify.
/// </summary>
internal static class ApproverFinder
{
    public static SeclApprover? Find(SeclNode node) => node switch
    {
        AndNode and => Smaller(Find(and.Left), Find(and.Right)),
        OrNode or => Union(Find(or.Left), Find(or.Right)),
        StringFieldComparison s when Qualifies(s) && s.Matcher.HasOnlyExact && !s.Negate && s.Matcher.Exact.Count > 0 =>
            new SeclApprover(s.Field!, s.Matcher.Exact.ToHashSet(StringComparer.Ordinal), null),
        IntComparison i when Qualifies(i) && i.IsPlainField && i.Operator == IntOperator.In =>
            new SeclApprover(i.Field!, null, i.Set!.ToHashSet()),
        IntComparison i when Qualifies(i) && i.IsPlainField && i.Operator == IntOperator.Equal && i.Right.IsConstant =>
            new SeclApprover(i.Field!, null, new HashSet<long> { i.Right.Evaluate(null!, 0) }),
        _ => null,
    };

    private static bool Qualifies(FieldComparison comparison) =>
        comparison.Field is { IsList: false, IsCaseInsensitive: false, Derivation: SeclFieldDerivation.Stored or SeclFieldDerivation.Alias }
        && !comparison.IsIterated && comparison.Quantifier == Quantifier.Any;

    private static int Size(SeclApprover a) => a.Strings?.Count ?? a.Ints!.Count;

    private static SeclApprover? Smaller(SeclApprover? a, SeclApprover? b) =>
        a is null ? b : b is null ? a : Size(a) <= Size(b) ? a : b;

    private static SeclApprover? Union(SeclApprover? a, SeclApprover? b)
    {
        if (a is null || b is null || a.Field.StorageId != b.Field.StorageId) return null;
        return a.Strings is not null && b.Strings is not null
            ? a with { Strings = a.Strings.Union(b.Strings).ToHashSet(StringComparer.Ordinal) }
            : a.Ints is not null && b.Ints is not null ? a with { Ints = a.Ints.Union(b.Ints).ToHashSet() } : null;
    }
}
