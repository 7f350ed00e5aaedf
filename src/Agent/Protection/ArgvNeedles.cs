using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Agent.Protection;

/// <summary>
/// Substrings that every argv a rule can match must contain, read from the rule's syntax tree: the kernel
/// stops only execs whose argv holds one. <c>a &amp;&amp; b</c> needs what either side needs, <c>a || b</c>
/// what both need; leaves are <c>exec.args</c>/<c>exec.argv</c> compared with literal strings or globs
/// (<c>~"*stratum+tcp://*"</c> needs <c>stratum+tcp://</c>). Negations, regexes and macros give nothing,
/// so such a rule is not held (never a wrong hold).
/// </summary>
public static class ArgvNeedles
{
    public const int MaxNeedles = 16, MaxNeedleLength = 32, MinNeedleLength = 3;
    private static readonly HashSet<string> ArgvFields = new(StringComparer.Ordinal)
    {
        "exec.args", "exec.argv", "exec.argv0", "process.args", "process.argv", "process.argv0",
    };

    public static IReadOnlyList<string>? Find(string expression)
    {
        var parsed = SeclParser.Parse(expression);
        if (!parsed.Success) return null;
        var needles = Needles(parsed.Root);
        return needles is { Count: > 0 and <= MaxNeedles } ? needles.Distinct(StringComparer.Ordinal).ToList() : null;
    }

    private static List<string>? Needles(SyntaxNode node) => node switch
    {
        ParenthesizedSyntax p => Needles(p.Inner),
        BinarySyntax { Operator: BinaryOperator.And } b => Better(Needles(b.Left), Needles(b.Right)),
        BinarySyntax { Operator: BinaryOperator.Or } b => Needles(b.Left) is { } l && Needles(b.Right) is { } r ? [.. l, .. r] : null,
        BinarySyntax { Operator: BinaryOperator.In or BinaryOperator.Equal or BinaryOperator.Match, Left: IdentifierSyntax id } b when ArgvFields.Contains(id.Name) => Literals(b.Right),
        _ => null,
    };

    /// <summary>Fewer needles select fewer processes; on a tie, longer ones.</summary>
    private static List<string>? Better(List<string>? a, List<string>? b) =>
        a is null ? b : b is null ? a : a.Count < b.Count || (a.Count == b.Count && a.Min(n => n.Length) >= b.Min(n => n.Length)) ? a : b;

    private static List<string>? Literals(SyntaxNode node)
    {
        if (node is ArraySyntax array)
        {
            var all = new List<string>();
            foreach (var item in array.Items)
            {
                if (Literal(item) is not { } needle) return null;
                all.Add(needle);
            }
            return all.Count > 0 ? all : null;
        }
        return Literal(node) is { } one ? [one] : null;
    }

    /// <summary>
    /// Needles from the binder's approver (macros expanded): argv values a match must contain (<c>Contains</c>) or
    /// equal (<c>Exact</c> on <c>exec.argv</c>). Null when a term is anything else or case-insensitive.
    /// </summary>
    public static IReadOnlyList<string>? FromApprover(SeclApprover? approver)
    {
        if (approver is null || approver.Terms.Count == 0) return null;
        var needles = new List<string>();
        foreach (var term in approver.Terms)
        {
            if (term.Kind is not (SeclApproverKind.Exact or SeclApproverKind.Contains) || term.Strings is null || term.IgnoreCase
                || term.Field.Name is not ("exec.argv" or "process.argv"))
                return null;
            foreach (var value in term.Strings)
            {
                if (Clip(value) is not { } needle) return null;
                needles.Add(needle);
            }
        }
        var distinct = needles.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count is > 0 and <= MaxNeedles ? distinct : null;
    }

    /// <summary>At least <see cref="MinNeedleLength"/> bytes, cut to <see cref="MaxNeedleLength"/> (a prefix of a needle is still in every match).</summary>
    private static string? Clip(string needle)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(needle) < MinNeedleLength) return null;
        while (System.Text.Encoding.UTF8.GetByteCount(needle) > MaxNeedleLength) needle = needle[..^1];
        return needle;
    }

    /// <summary>The longest run without wildcards or spaces (argv is NUL-separated in memory), cut to the kernel's length.</summary>
    private static string? Literal(SyntaxNode node)
    {
        var text = node switch
        {
            StringSyntax { IsInterpolated: false } s => s.Value,
            PatternSyntax p => p.Pattern,
            _ => null,
        };
        if (text is null) return null;
        var longest = text.Split(['*', '?', ' '], StringSplitOptions.RemoveEmptyEntries).MaxBy(s => System.Text.Encoding.UTF8.GetByteCount(s));
        return longest is null ? null : Clip(longest);
    }
}
