using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Policy;

/// <summary>
/// Datadog's <c>fim.write.file.*</c> pseudo-fields: one rule becomes one rule per file-writing event
/// type (open with write flags, chmod, chown, link, rename, unlink, utimes), sharing its other conditions.
/// For link and rename both the source and the destination file are checked.
/// </summary>
public static class FimExpansion
{
    public const string Prefix = "fim.write.file.";

    private static readonly (string EventType, string[] Files, string? Extra)[] Targets =
    [
        ("open", ["open.file."], "open.flags & (O_CREAT|O_TRUNC|O_APPEND|O_RDWR|O_WRONLY) > 0"),
        ("chmod", ["chmod.file."], null),
        ("chown", ["chown.file."], null),
        ("link", ["link.file.", "link.file.destination."], null),
        ("rename", ["rename.file.", "rename.file.destination."], null),
        ("unlink", ["unlink.file."], null),
        ("utimes", ["utimes.file."], null),
    ];

    /// <summary>The expanded expressions, or an empty list when the rule does not use <c>fim.write.file.*</c>.</summary>
    public static IReadOnlyList<(string EventType, string Expression)> Expand(string expression)
    {
        var tokens = SeclLexer.Tokenize(expression, []);
        var fimTokens = tokens.Where(t => t.Kind == SeclTokenKind.Identifier && t.Text.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        if (fimTokens.Count == 0) return [];
        var result = new List<(string, string)>();
        foreach (var (eventType, files, extra) in Targets)
        {
            // A rule on a two-file event matches when the condition holds for either file.
            var variants = files.Select(file => Substitute(expression, fimTokens, file)).ToList();
            var body = variants.Count == 1 ? variants[0] : string.Join(" || ", variants.Select(v => $"({v})"));
            result.Add((eventType, extra is null ? body : $"({body}) && {extra}"));
        }
        return result;
    }

    private static string Substitute(string expression, List<SeclToken> fimTokens, string replacement)
    {
        var text = new System.Text.StringBuilder(expression);
        foreach (var token in fimTokens.OrderByDescending(t => t.Span.Start))
        {
            text.Remove(token.Span.Start, Prefix.Length).Insert(token.Span.Start, replacement);
        }
        return text.ToString();
    }
}
