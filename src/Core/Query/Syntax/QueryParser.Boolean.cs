namespace Vigil.Core.Query.Syntax;

public sealed partial class QueryParser
{
    /// <summary>
    /// Parses the binary level <paramref name="level"/> of <see cref="Levels"/> and everything tighter.
    /// <paramref name="field"/> is null at the top level and the field of the value group otherwise.
    /// Returns null when no operand could be parsed (the caller or a callee has reported why).
    /// </summary>
    private QueryNode? ParseBinary(int level, QueryField? field)
    {
        if (level == Levels.Length)
        {
            return ParseUnary(field);
        }

        var (keyword, name, juxtaposition) = Levels[level];
        var operands = new List<QueryNode>(2);
        var first = ParseBinary(level + 1, field);
        if (first is not null)
        {
            operands.Add(first);
        }

        while (!_aborted)
        {
            var token = Current;
            var isExplicit = token.Kind == keyword;
            if (!isExplicit && !(juxtaposition && StartsTerm(token.Kind)))
            {
                break;
            }

            var reported = false;
            if (isExplicit)
            {
                Advance();
                if (operands.Count == 0)
                {
                    Report(token.Span, $"'{name}' needs a term on both sides");
                    reported = true;
                }
            }

            var before = _index;
            var right = ParseBinary(level + 1, field);
            if (right is not null)
            {
                operands.Add(right);
            }
            else if (_index == before)
            {
                // Nothing there at all (an operand that was there but broken has reported its own error).
                if (!isExplicit)
                {
                    break; // defensive: nothing consumed, stop rather than spin
                }

                if (!reported)
                {
                    Report(token.Span, $"'{name}' needs a term on both sides");
                }
            }
        }

        if (operands.Count <= 1)
        {
            return operands.Count == 0 ? null : operands[0];
        }

        var span = QuerySpan.Between(operands[0].Span, operands[^1].Span);
        return keyword == QueryTokenKind.Or
            ? new OrNode(Operands(operands), span)
            : new AndNode(Operands(operands), span);
    }

    private QueryNode? ParseUnary(QueryField? field)
    {
        var token = Current;
        var isNot = token.Kind == QueryTokenKind.Not;
        var isMinus = token.Kind == QueryTokenKind.Minus && field is null;
        if (!isNot && !isMinus)
        {
            return ParsePrimary(field);
        }

        Advance();
        if (isMinus && (!Current.Touches(token.Span.End) || !StartsTerm(Current.Kind)))
        {
            Report(token.Span, "'-' needs a term right after it, as in '-host:web-1'");
            return null;
        }

        if (!EnterNesting(token))
        {
            return null;
        }

        var before = _index;
        var operand = ParseUnary(field);
        _depth--;
        if (operand is null)
        {
            if (isNot && _index == before)
            {
                Report(token.Span, "'NOT' needs a term after it");
            }

            return null;
        }

        return new NotNode(operand, new QuerySpan(token.Span.Start, operand.Span.End - token.Span.Start));
    }

    private QueryNode? ParsePrimary(QueryField? field)
    {
        while (!_aborted)
        {
            var token = Current;
            switch (token.Kind)
            {
                case QueryTokenKind.OpenParen:
                    return ParseGroup(field);
                case QueryTokenKind.Word or QueryTokenKind.Quoted when field is null:
                    return ParseTopTerm();
                case QueryTokenKind.Word or QueryTokenKind.Quoted or QueryTokenKind.Minus
                    or QueryTokenKind.GreaterThan or QueryTokenKind.GreaterOrEqual or QueryTokenKind.LessThan or QueryTokenKind.LessOrEqual
                    or QueryTokenKind.OpenBracket or QueryTokenKind.OpenBrace when field is not null:
                    return ParseValue();
                case QueryTokenKind.GreaterThan or QueryTokenKind.GreaterOrEqual or QueryTokenKind.LessThan or QueryTokenKind.LessOrEqual:
                    Report(token.Span, $"a comparison needs an attribute, as in '@attr:{token.Raw}5'");
                    ParseValue();
                    return null;
                case QueryTokenKind.OpenBracket or QueryTokenKind.OpenBrace:
                    Report(token.Span, "a range needs an attribute, as in '@attr:[1 TO 5]'");
                    ParseValue();
                    return null;
                case QueryTokenKind.Colon:
                    Report(token.Span, "unexpected ':'; escape a colon inside a value as '\\:' or quote the value");
                    Advance();
                    continue;
                case QueryTokenKind.CloseBracket or QueryTokenKind.CloseBrace:
                    Report(token.Span, $"unexpected '{token.Raw}' without a range to close");
                    Advance();
                    continue;
                default:
                    // End of input, ')', 'AND', 'OR': the caller knows what was missing.
                    return null;
            }
        }

        return null;
    }

    private QueryNode? ParseGroup(QueryField? field)
    {
        var open = Advance();
        if (Current.Kind == QueryTokenKind.CloseParen)
        {
            var close = Advance();
            Report(QuerySpan.Between(open.Span, close.Span), "empty parentheses: expected a term inside '()'");
            return null;
        }

        if (!EnterNesting(open))
        {
            return null;
        }

        var inner = ParseBinary(0, field);
        _depth--;
        if (Current.Kind == QueryTokenKind.CloseParen)
        {
            Advance();
        }
        else
        {
            Report(open.Span, $"unbalanced parenthesis opened at {Where(open.Span)}");
        }

        return inner;
    }

    private QueryNode? ParseTopTerm()
    {
        var token = Advance();
        if (token.Kind == QueryTokenKind.Word && Current.Kind == QueryTokenKind.Colon)
        {
            return ParseFieldTerm(token);
        }

        if (!CountTerm(token.Span))
        {
            return null;
        }

        if (token.Kind == QueryTokenKind.Quoted)
        {
            return new PhraseValue(token.Text, token.Span);
        }

        return token.Raw == "*"
            ? new MatchAllNode(token.Span)
            : new WordValue(token.Text, token.Raw, token.Span);
    }

    private FieldTermNode? ParseFieldTerm(QueryToken name)
    {
        var colon = Advance();
        var field = ResolveField(name);
        QueryNode? value;
        if (Current.Kind == QueryTokenKind.OpenParen)
        {
            value = ParseGroup(field ?? QueryField.Attribute("?"));
        }
        else if (Current.Kind is QueryTokenKind.Word or QueryTokenKind.Quoted or QueryTokenKind.Minus
                 or QueryTokenKind.GreaterThan or QueryTokenKind.GreaterOrEqual or QueryTokenKind.LessThan or QueryTokenKind.LessOrEqual
                 or QueryTokenKind.OpenBracket or QueryTokenKind.OpenBrace)
        {
            value = ParseValue();
        }
        else
        {
            Report(Current.Span, $"expected a value after '{name.Raw}{colon.Raw}'");
            return null;
        }

        return field is null || value is null
            ? null
            : new FieldTermNode(field, name.Span, value, new QuerySpan(name.Span.Start, value.Span.End - name.Span.Start));
    }

    private QueryField? ResolveField(QueryToken name)
    {
        if (!name.Text.StartsWith('@'))
        {
            return QueryField.Tag(name.Text);
        }

        var path = name.Text[1..];
        if (path.Length == 0)
        {
            Report(name.Span, "attribute name missing after '@'");
            return null;
        }

        if (path.StartsWith('.') || path.EndsWith('.') || path.Contains("..", StringComparison.Ordinal))
        {
            Report(name.Span, $"attribute path '{name.Text}' has an empty segment");
            return null;
        }

        return QueryField.Attribute(path);
    }
}
