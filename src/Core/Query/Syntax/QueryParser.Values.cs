namespace Vigil.Core.Query.Syntax;

public sealed partial class QueryParser
{
    /// <summary>Parses one value after a field: a word, a phrase, a comparison or a range.</summary>
    private ValueNode? ParseValue()
    {
        var token = Current;
        switch (token.Kind)
        {
            case QueryTokenKind.GreaterThan or QueryTokenKind.GreaterOrEqual or QueryTokenKind.LessThan or QueryTokenKind.LessOrEqual:
                return ParseComparison();
            case QueryTokenKind.OpenBracket or QueryTokenKind.OpenBrace:
                return ParseRange();
            default:
                var literal = ParseLiteral();
                return literal is not null && CountTerm(literal.Span) ? literal : null;
        }
    }

    /// <summary>
    /// A word or a phrase; a '-' touching the word that follows is part of it (<c>@x:-5</c>).
    /// Returns null, consuming nothing, when the current token is not a literal.
    /// </summary>
    private ValueNode? ParseLiteral()
    {
        var token = Current;
        switch (token.Kind)
        {
            case QueryTokenKind.Word:
                Advance();
                return new WordValue(token.Text, token.Raw, token.Span);
            case QueryTokenKind.Quoted:
                Advance();
                return new PhraseValue(token.Text, token.Span);
            case QueryTokenKind.Minus:
                Advance();
                var next = Current;
                if (next.Kind == QueryTokenKind.Word && next.Touches(token.Span.End))
                {
                    Advance();
                    return new WordValue("-" + next.Text, "-" + next.Raw, QuerySpan.Between(token.Span, next.Span));
                }

                return new WordValue("-", "-", token.Span);
            default:
                return null;
        }
    }

    private ComparisonValue? ParseComparison()
    {
        var op = Advance();
        var kind = op.Kind switch
        {
            QueryTokenKind.GreaterThan => ComparisonOperator.GreaterThan,
            QueryTokenKind.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
            QueryTokenKind.LessThan => ComparisonOperator.LessThan,
            _ => ComparisonOperator.LessOrEqual,
        };
        var bound = ParseLiteral();
        if (bound is null)
        {
            Report(Current.Span, $"comparison '{op.Raw}' needs a value");
            return null;
        }

        if (bound is WordValue { HasWildcards: true })
        {
            Report(bound.Span, "a comparison value cannot contain wildcards");
            return null;
        }

        var span = QuerySpan.Between(op.Span, bound.Span);
        return CountTerm(span) ? new ComparisonValue(kind, bound, span) : null;
    }

    private RangeValue? ParseRange()
    {
        var open = Advance();
        var lowerInclusive = open.Kind == QueryTokenKind.OpenBracket;
        if (IsTo(Current))
        {
            Report(Current.Span, $"expected a lower bound after '{open.Raw}'");
            SkipRange();
            return null;
        }

        if (!TryParseBound(out var lower, $"expected a lower bound after '{open.Raw}'"))
        {
            SkipRange();
            return null;
        }

        if (!IsTo(Current))
        {
            Report(Current.Span, "range needs 'TO' between its bounds, as in '[1 TO 5]'");
            SkipRange();
            return null;
        }

        Advance();
        if (!TryParseBound(out var upper, "expected an upper bound after 'TO'"))
        {
            SkipRange();
            return null;
        }

        var close = Current;
        if (close.Kind is not (QueryTokenKind.CloseBracket or QueryTokenKind.CloseBrace))
        {
            Report(open.Span, $"range opened at {Where(open.Span)} needs ']' or '}}' to close it");
            return null;
        }

        Advance();
        var span = QuerySpan.Between(open.Span, close.Span);
        return CountTerm(span)
            ? new RangeValue(lower, upper, lowerInclusive, close.Kind == QueryTokenKind.CloseBracket, span)
            : null;
    }

    /// <summary>Parses a range bound; a lone <c>*</c> is an open bound (null).</summary>
    private bool TryParseBound(out ValueNode? bound, string missing)
    {
        bound = null;
        var value = ParseLiteral();
        if (value is null)
        {
            Report(Current.Span, missing);
            return false;
        }

        if (value is WordValue word && word.HasWildcards)
        {
            if (word.IsStar)
            {
                return true;
            }

            Report(word.Span, "a range bound cannot contain wildcards");
            return false;
        }

        bound = value;
        return true;
    }

    private static bool IsTo(QueryToken token) => token.Kind == QueryTokenKind.Word && token.Raw == "TO";

    /// <summary>After an error inside a range, skips to its closing bracket (consumed) or a ')' or the end (kept).</summary>
    private void SkipRange()
    {
        while (Current.Kind is not (QueryTokenKind.EndOfInput or QueryTokenKind.CloseParen))
        {
            var token = Advance();
            if (token.Kind is QueryTokenKind.CloseBracket or QueryTokenKind.CloseBrace)
            {
                return;
            }
        }
    }
}
