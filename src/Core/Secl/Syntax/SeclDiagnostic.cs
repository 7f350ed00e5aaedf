namespace Vigil.Core.Secl.Syntax;

/// <summary>What went wrong with an expression; the class decides how a policy report names it.</summary>
public enum SeclDiagnosticKind
{
    /// <summary>Lexer or parser error (Datadog: <c>syntax error</c>).</summary>
    Syntax,
    /// <summary>Field, macro, constant or variable resolution and typing (Datadog: <c>rule compilation error</c>).</summary>
    Compilation,
}

/// <summary>One error with its position (1-based line and column, as Datadog's participle prints them).</summary>
public sealed record SeclDiagnostic(SeclDiagnosticKind Kind, string Message, TextSpan Span, int Line, int Column)
{
    /// <summary>Datadog-style rendering, e.g. <c>syntax error: 1:11: unexpected token "="</c>.</summary>
    public override string ToString() => Kind == SeclDiagnosticKind.Syntax
        ? $"syntax error: {Line}:{Column}: {Message}"
        : $"rule compilation error: {Message} ({Line}:{Column})";

    public static SeclDiagnostic Create(SeclDiagnosticKind kind, string message, TextSpan span, string source)
    {
        var (line, column) = Position(source, span.Start);
        return new SeclDiagnostic(kind, message, span, line, column);
    }

    /// <summary>1-based line and column of an offset.</summary>
    public static (int Line, int Column) Position(string source, int offset)
    {
        int line = 1, column = 1;
        var end = Math.Min(offset, source.Length);
        for (var i = 0; i < end; i++)
        {
            if (source[i] == '\n') { line++; column = 1; }
            else column++;
        }
        return (line, column);
    }
}
