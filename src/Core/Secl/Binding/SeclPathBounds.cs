using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Secl.Binding;

/// <summary>
/// The directories an event's file path must lie in for an expression to be true, for a probe that watches
/// only part of the filesystem. Unlike the evaluator's approvers (any one selective term will do), this
/// looks for path terms on purpose: in <c>a &amp;&amp; b</c> either side's bound holds, in <c>a || b</c>
/// both sides need one. Null when the expression does not bound the path (watch everything).
/// </summary>
public static class SeclPathBounds
{
    public static IReadOnlySet<string>? Directories(SeclCompiledExpression compiled) => compiled.Root is null ? null : Find(compiled.Root);

    private static HashSet<string>? Find(SeclNode node) => node switch
    {
        AndNode and => Narrower(Find(and.Left), Find(and.Right)),
        OrNode or => Find(or.Left) is { } left && Find(or.Right) is { } right ? [.. left, .. right] : null,
        StringFieldComparison s => PathTerm(s),
        _ => null,
    };

    private static HashSet<string>? Narrower(HashSet<string>? left, HashSet<string>? right) =>
        left is null ? right : right is null ? left : left.Contains("/") ? right : left;

    private static HashSet<string>? PathTerm(StringFieldComparison comparison)
    {
        if (comparison.Field is not { IsPath: true } field || field.Iterator is not null
            || !(field.Name.EndsWith(".file.path", StringComparison.Ordinal) || field.Name.EndsWith(".file.destination.path", StringComparison.Ordinal))
            || field.Name.StartsWith("process.", StringComparison.Ordinal))
            return null;
        if (ApproverFinder.Find(comparison) is not { Terms: [var term] }) return null;
        return term.Kind switch
        {
            SeclApproverKind.PathPrefix => [.. term.Prefixes.Select(p => p.Directory)],
            SeclApproverKind.Exact when term.Strings is not null => [.. term.Strings.Select(v => Path.GetDirectoryName(v) is { Length: > 0 } d ? d : "/")],
            _ => null,
        };
    }
}
