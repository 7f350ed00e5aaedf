using System.Collections.Immutable;

namespace Vigil.Core.Query.Syntax;

/// <summary>
/// Immutable syntax of a query. Boolean nodes (<see cref="OrNode"/>, <see cref="AndNode"/>,
/// <see cref="NotNode"/>) appear both at the top level and inside a field's value group
/// (<c>@agent.rule_id:(a OR b)</c>); value nodes (<see cref="ValueNode"/>) stand alone at the top level as
/// full-text search and inside a <see cref="FieldTermNode"/> as the value to compare with.
/// </summary>
public abstract record QueryNode(QuerySpan Span);

public sealed record OrNode(ImmutableArray<QueryNode> Operands, QuerySpan Span) : QueryNode(Span);

/// <summary>Conjunction, written with <c>AND</c> or implied by juxtaposition.</summary>
public sealed record AndNode(ImmutableArray<QueryNode> Operands, QuerySpan Span) : QueryNode(Span);

/// <summary>Negation, written <c>NOT x</c> or <c>-x</c>.</summary>
public sealed record NotNode(QueryNode Operand, QuerySpan Span) : QueryNode(Span);

/// <summary><c>*</c> alone at the top level, or an empty query: matches every document.</summary>
public sealed record MatchAllNode(QuerySpan Span) : QueryNode(Span);

/// <summary><c>field:value</c>, where the value may be a group such as <c>(a OR b)</c>.</summary>
public sealed record FieldTermNode(QueryField Field, QuerySpan FieldSpan, QueryNode Value, QuerySpan Span) : QueryNode(Span);

/// <summary>A value: a word, a quoted phrase, a comparison or a range.</summary>
public abstract record ValueNode(QuerySpan Span) : QueryNode(Span);

/// <summary>
/// An unquoted word. <see cref="Text"/> has escapes removed; <see cref="Raw"/> is the source, where an
/// unescaped '*' or '?' is a wildcard.
/// </summary>
public sealed record WordValue(string Text, string Raw, QuerySpan Span) : ValueNode(Span)
{
    /// <summary>True when the word contains an unescaped '*' or '?'.</summary>
    public bool HasWildcards => WildcardPattern.HasWildcards(Raw);

    /// <summary>True for a lone <c>*</c>: "any value" after a field, "everything" at the top level.</summary>
    public bool IsStar => Raw == "*";
}

/// <summary>A double-quoted phrase: matched literally (no wildcards), still case-insensitively.</summary>
public sealed record PhraseValue(string Text, QuerySpan Span) : ValueNode(Span);

public enum ComparisonOperator
{
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
}

/// <summary><c>&gt;1000</c>, <c>&lt;=5</c> after a field.</summary>
public sealed record ComparisonValue(ComparisonOperator Operator, ValueNode Bound, QuerySpan Span) : ValueNode(Span);

/// <summary><c>[1 TO 5]</c> (inclusive) or <c>{1 TO 5}</c> (exclusive); a null bound (written <c>*</c>) is open.</summary>
public sealed record RangeValue(ValueNode? Lower, ValueNode? Upper, bool LowerInclusive, bool UpperInclusive, QuerySpan Span) : ValueNode(Span);
