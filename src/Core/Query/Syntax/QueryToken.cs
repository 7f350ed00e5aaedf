namespace Vigil.Core.Query.Syntax;

/// <summary>A half-open range of characters in the query text.</summary>
public readonly record struct QuerySpan(int Start, int Length)
{
    public int End => Start + Length;

    public static QuerySpan Between(QuerySpan first, QuerySpan last) => new(first.Start, last.End - first.Start);

    public override string ToString() => $"[{Start}..{End})";
}

internal enum QueryTokenKind
{
    EndOfInput,
    /// <summary>An unquoted word; may contain wildcards and backslash escapes.</summary>
    Word,
    /// <summary>A double-quoted string.</summary>
    Quoted,
    And,
    Or,
    Not,
    /// <summary>A '-' at the start of a term.</summary>
    Minus,
    Colon,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    OpenBrace,
    CloseBrace,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
}

/// <summary>
/// One token. <see cref="Text"/> is the value with escapes removed (for words and quoted strings);
/// <see cref="Raw"/> is the source slice, kept so wildcards can be told from escaped '*' and '?'.
/// </summary>
internal readonly record struct QueryToken(QueryTokenKind Kind, QuerySpan Span, string Text, string Raw)
{
    /// <summary>True when no whitespace separates this token from the one that ends at <paramref name="previousEnd"/>.</summary>
    public bool Touches(int previousEnd) => Span.Start == previousEnd;
}
