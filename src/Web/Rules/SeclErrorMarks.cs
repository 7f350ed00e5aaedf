using System.Globalization;
using System.Text.RegularExpressions;
using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Rules;

/// <summary>
/// One SECL error placed on the expression's text: the line it is on split into the part before the span, the span
/// itself (marked) and the rest, plus an underline (<c>^~~~</c>) for a monospace view. Without a position only the message.
/// </summary>
public sealed record SeclErrorMark(string Message, int? Line = null, int? Column = null,
    string? Before = null, string? Marked = null, string? After = null, string? Underline = null);

/// <summary>Places the Api's SECL errors on the expression being edited, as the agent-rule editor shows them.</summary>
public static partial class SeclErrorMarks
{
    /// <summary>Errors from the validate endpoint: most carry offset and length; the others may name a line:column in the text.</summary>
    public static IReadOnlyList<SeclErrorMark> Place(string expression, IReadOnlyList<SeclErrorDto> errors) =>
        [.. errors.Select(e => e.Offset is { } offset ? At(expression, e.Message, offset, e.Length ?? 0) : FromMessages(expression, [e.Message])[0])];

    /// <summary>
    /// Errors a save was refused with: plain messages such as <c>syntax error: 1:19: unexpected end</c> or
    /// <c>rule compilation error: … (1:5)</c>; the first <c>line:column</c> in a message places it (a point, no length).
    /// </summary>
    public static IReadOnlyList<SeclErrorMark> FromMessages(string expression, IEnumerable<string> messages) =>
        [.. messages.Select(m => Position().Match(m) is { Success: true } at
            && OffsetOf(expression, Number(at.Groups[1]), Number(at.Groups[2])) is { } offset
                ? At(expression, m, offset, 0) : new SeclErrorMark(m))];

    private static SeclErrorMark At(string expression, string message, int offset, int length)
    {
        offset = Math.Clamp(offset, 0, expression.Length);
        var lineStart = offset == 0 ? 0 : expression.LastIndexOf('\n', offset - 1) + 1;
        var lineEnd = expression.IndexOf('\n', offset) is var end and >= 0 ? end : expression.Length;
        // A span running past its line is marked to the end of the line: the view shows one line per error.
        var spanEnd = Math.Min(offset + Math.Max(0, length), lineEnd);
        var line = expression.Take(offset).Count(c => c == '\n') + 1;
        var column = offset - lineStart + 1;
        var underline = new string(' ', column - 1) + "^" + new string('~', Math.Max(0, spanEnd - offset - 1));
        return new SeclErrorMark(message, line, column, expression[lineStart..offset], expression[offset..spanEnd],
            expression[spanEnd..lineEnd].TrimEnd('\r'), underline);
    }

    /// <summary>0-based offset of a 1-based line and column; null when the text has no such place.</summary>
    private static int? OffsetOf(string expression, int line, int column)
    {
        var start = 0;
        for (var l = 1; l < line; l++)
        {
            start = expression.IndexOf('\n', start) + 1;
            if (start == 0)
                return null;
        }
        var offset = start + column - 1;
        return column >= 1 && offset <= expression.Length ? offset : null;
    }

    private static int Number(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\b(\d+):(\d+)\b")]
    private static partial Regex Position();
}
