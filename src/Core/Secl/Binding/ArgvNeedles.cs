using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Binding;

/// <summary>
/// Approvers for the argument fields computed from argv. Each value they can take is, or contains, a
/// piece of one argv element:
/// <list type="bullet">
/// <item><c>args</c> is argv joined with spaces, so a literal without a space lies inside one element;</item>
/// <item>a flag (<c>-xyz</c> gives x, y, z; <c>--name</c> gives name) is a substring of its element;</item>
/// <item>an option named with two or more characters comes from <c>--name=value</c>, one element holding
/// it whole (one-letter options may come from <c>-n value</c>, across two elements: not indexed).</item>
/// </list>
/// So "some argv element contains the needle" is necessary for the rule to match, and the rule can be
/// indexed on argv instead of being tested on every exec.
/// </summary>
internal static class ArgvNeedles
{
    public static bool Qualifies(StringFieldComparison s) =>
        s.Field is { Source: { Derivation: SeclFieldDerivation.Stored, IsList: true }, Derivation: SeclFieldDerivation.ArgsString or SeclFieldDerivation.ArgsFlags or SeclFieldDerivation.ArgsOptions }
        && s.Quantifier == Quantifier.Any
        && s.Matcher.HasNoDynamicValues;

    public static SeclApprover? Term(StringFieldComparison s)
    {
        var field = s.Field!;
        var needles = new HashSet<string>(s.Matcher.IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var value in s.Matcher.Exact.Concat(s.Matcher.Globs.Select(g => g.Pattern)))
        {
            var needle = Needle(value, field.Derivation);
            if (needle is null) return null; // one value that cannot be found through argv: no approver
            needles.Add(needle);
        }
        if (needles.Count == 0) return null;
        return new SeclApprover([new SeclApproverTerm(field.Source!, SeclApproverKind.Contains, needles, null) { IgnoreCase = s.Matcher.IgnoreCase }]);
    }

    /// <summary>The longest literal piece of the pattern that one argv element must contain, or null.</summary>
    internal static string? Needle(string pattern, SeclFieldDerivation derivation)
    {
        if (derivation == SeclFieldDerivation.ArgsOptions && !HasLongOptionName(pattern)) return null;
        var pieces = pattern.Split('*', StringSplitOptions.RemoveEmptyEntries);
        if (derivation == SeclFieldDerivation.ArgsString) pieces = [.. pieces.SelectMany(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        var longest = pieces.MaxBy(p => p.Length);
        return string.IsNullOrEmpty(longest) ? null : longest;
    }

    /// <summary>The option's name (before '=') is known to have two or more characters.</summary>
    private static bool HasLongOptionName(string pattern)
    {
        var star = pattern.IndexOf('*');
        var literalStart = star < 0 ? pattern : pattern[..star];
        var equals = literalStart.IndexOf('=');
        return (equals < 0 ? literalStart.Length : equals) >= 2;
    }
}
