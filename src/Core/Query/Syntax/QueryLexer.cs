using System.Text;

namespace Vigil.Core.Query.Syntax;

/// <summary>
/// Splits query text into tokens with spans. Never throws: problems (an unterminated string, a dangling
/// backslash) become diagnostics and the lexer carries on.
/// </summary>
/// <remarks>
/// A word runs until whitespace or one of <c>( ) : "</c>, and inside a range also <c>]</c> or <c>}</c>;
/// a backslash escapes the next character (<c>\:</c>, <c>\ </c>, <c>\*</c>). <c>[ ] { }</c>,
/// <c>&lt;</c>, <c>&gt;</c> and <c>-</c> are operators only at the start of a token, so
/// <c>@x:a[1]</c> is one value. <c>AND</c>, <c>OR</c> and <c>NOT</c> are keywords only in
/// upper case and unescaped.
/// </remarks>
internal sealed class QueryLexer(string text, List<QueryDiagnostic> diagnostics)
{
    private readonly string _text = text;
    private readonly List<QueryDiagnostic> _diagnostics = diagnostics;
    private readonly StringBuilder _buffer = new();
    private int _position;
    private int _openRanges;

    public List<QueryToken> Tokenize()
    {
        var tokens = new List<QueryToken>();
        while (true)
        {
            var token = Next();
            tokens.Add(token);
            if (token.Kind == QueryTokenKind.EndOfInput)
            {
                return tokens;
            }
        }
    }

    private QueryToken Next()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }

        var start = _position;
        if (start >= _text.Length)
        {
            return new QueryToken(QueryTokenKind.EndOfInput, new QuerySpan(_text.Length, 0), "", "");
        }

        var c = _text[start];
        switch (c)
        {
            case '(': return Single(QueryTokenKind.OpenParen);
            case ')': return Single(QueryTokenKind.CloseParen);
            case '[':
                _openRanges++;
                return Single(QueryTokenKind.OpenBracket);
            case '{':
                _openRanges++;
                return Single(QueryTokenKind.OpenBrace);
            case ']':
                _openRanges = Math.Max(0, _openRanges - 1);
                return Single(QueryTokenKind.CloseBracket);
            case '}':
                _openRanges = Math.Max(0, _openRanges - 1);
                return Single(QueryTokenKind.CloseBrace);
            case ':': return Single(QueryTokenKind.Colon);
            case '-': return Single(QueryTokenKind.Minus);
            case '"': return Quoted();
            case '>' or '<':
                var orEqual = start + 1 < _text.Length && _text[start + 1] == '=';
                var kind = (c, orEqual) switch
                {
                    ('>', true) => QueryTokenKind.GreaterOrEqual,
                    ('>', false) => QueryTokenKind.GreaterThan,
                    (_, true) => QueryTokenKind.LessOrEqual,
                    _ => QueryTokenKind.LessThan,
                };
                _position += orEqual ? 2 : 1;
                return new QueryToken(kind, new QuerySpan(start, _position - start), "", _text[start.._position]);
            default:
                return Word();
        }
    }

    private QueryToken Single(QueryTokenKind kind)
    {
        var start = _position++;
        return new QueryToken(kind, new QuerySpan(start, 1), "", _text.Substring(start, 1));
    }

    private QueryToken Word()
    {
        var start = _position;
        _buffer.Clear();
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (char.IsWhiteSpace(c) || c is '(' or ')' or ':' or '"' || (_openRanges > 0 && c is ']' or '}'))
            {
                break;
            }

            if (c == '\\')
            {
                if (_position + 1 >= _text.Length)
                {
                    _diagnostics.Add(QueryDiagnostic.Create(_text, new QuerySpan(_position, 1), "'\\' at the end of the query escapes nothing"));
                    _position++;
                    break;
                }

                _buffer.Append(_text[_position + 1]);
                _position += 2;
                continue;
            }

            _buffer.Append(c);
            _position++;
        }

        var raw = _text[start.._position];
        var kind = raw switch
        {
            "AND" => QueryTokenKind.And,
            "OR" => QueryTokenKind.Or,
            "NOT" => QueryTokenKind.Not,
            _ => QueryTokenKind.Word,
        };
        return new QueryToken(kind, new QuerySpan(start, _position - start), _buffer.ToString(), raw);
    }

    private QueryToken Quoted()
    {
        var start = _position++;
        _buffer.Clear();
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '"')
            {
                _position++;
                return new QueryToken(QueryTokenKind.Quoted, new QuerySpan(start, _position - start), _buffer.ToString(), _text[start.._position]);
            }

            if (c == '\\' && _position + 1 < _text.Length)
            {
                _buffer.Append(_text[_position + 1]);
                _position += 2;
                continue;
            }

            _buffer.Append(c);
            _position++;
        }

        _diagnostics.Add(QueryDiagnostic.Create(_text, new QuerySpan(start, _position - start),
            $"unterminated quoted string started at {QueryDiagnostic.Where(_text, start)}"));
        return new QueryToken(QueryTokenKind.Quoted, new QuerySpan(start, _position - start), _buffer.ToString(), _text[start.._position]);
    }
}
