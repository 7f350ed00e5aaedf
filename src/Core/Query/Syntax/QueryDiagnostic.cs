namespace Vigil.Core.Query.Syntax;

/// <summary>An error found in a query, with its position (offset and 1-based line and column).</summary>
public sealed record QueryDiagnostic(int Start, int Length, int Line, int Column, string Message)
{
    public override string ToString() => $"{Line}:{Column}: {Message}";

    /// <summary>"message (at line:column)" for each diagnostic: how APIs report a bad query field.</summary>
    public static string[] Describe(IEnumerable<QueryDiagnostic> diagnostics) =>
        diagnostics.Select(d => $"{d.Message} (at {d.Line}:{d.Column})").ToArray();

    internal static QueryDiagnostic Create(string text, QuerySpan span, string message)
    {
        var (line, column) = Position(text, span.Start);
        return new QueryDiagnostic(span.Start, span.Length, line, column, message);
    }

    /// <summary>Returns the 1-based line and column of an offset ('\n' starts a line; columns count UTF-16 units).</summary>
    internal static (int Line, int Column) Position(string text, int offset)
    {
        var line = 1;
        var lineStart = 0;
        var end = Math.Min(offset, text.Length);
        for (var i = 0; i < end; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    internal static string Where(string text, int offset)
    {
        var (line, column) = Position(text, offset);
        return $"{line}:{column}";
    }
}
