using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Vigil.Core.Query.Syntax;

/// <summary>Limits against hostile or accidental huge input; each one gives a diagnostic, never an exception.</summary>
public sealed record QueryParserOptions
{
    public static QueryParserOptions Default { get; } = new();

    /// <summary>Longest accepted query, in UTF-16 characters.</summary>
    public int MaxLength { get; init; } = 8 * 1024;

    /// <summary>Deepest nesting of parentheses and negations.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most terms (words, phrases, comparisons, ranges) in one query.</summary>
    public int MaxTerms { get; init; } = 1024;
}

/// <summary>
/// The outcome of <see cref="QueryParser.Parse"/>: the syntax tree when the query has no error, otherwise
/// null, and every diagnostic found (the parser recovers and keeps looking after the first one).
/// </summary>
public sealed record QueryParseResult(QueryNode? Query, ImmutableArray<QueryDiagnostic> Diagnostics)
{
    [MemberNotNullWhen(true, nameof(Query))]
    public bool Success => Query is not null;
}
