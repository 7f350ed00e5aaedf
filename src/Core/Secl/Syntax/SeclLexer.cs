using System.Text;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Syntax;

/// <summary>
/// Turns a SECL expression into tokens with spans. Never throws: malformed input yields
/// <see cref="SeclTokenKind.Bad"/> tokens and diagnostics, and the lexer always advances.
/// </summary>
public sealed class SeclLexer
{
    private readonly string _text;
    private readonly List<SeclDiagnostic> _diagnostics;
    private int _position;

    private SeclLexer(string text, List<SeclDiagnostic> diagnostics)
    {
        _text = text;
        _diagnostics = diagnostics;
    }

    public static List<SeclToken> Tokenize(string text, List<SeclDiagnostic> diagnostics)
    {
        var lexer = new SeclLexer(text, diagnostics);
        var tokens = new List<SeclToken>();
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == SeclTokenKind.EndOfInput) return tokens;
        }
    }

    private char Peek(int ahead = 0) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    private SeclToken Next()
    {
        SkipTrivia();
        var start = _position;
        if (_position >= _text.Length) return new SeclToken(SeclTokenKind.EndOfInput, new TextSpan(start, 0), "");

        var c = Peek();
        switch (c)
        {
            case '"': return LexString(SeclTokenKind.StringLiteral, start, 1);
            case '~' when Peek(1) == '"': return LexString(SeclTokenKind.Pattern, start, 2);
            case 'r' when Peek(1) == '"': return LexString(SeclTokenKind.Regex, start, 2);
            case '$' when Peek(1) == '{': return LexVariable(start);
            case '(': return Simple(SeclTokenKind.OpenParen, 1);
            case ')': return Simple(SeclTokenKind.CloseParen, 1);
            case '[': return Simple(SeclTokenKind.OpenBracket, 1);
            case ']': return Simple(SeclTokenKind.CloseBracket, 1);
            case ',': return Simple(SeclTokenKind.Comma, 1);
            case '=' when Peek(1) == '=': return Simple(SeclTokenKind.EqualEqual, 2);
            case '=' when Peek(1) == '~': return Simple(SeclTokenKind.Match, 2);
            case '!' when Peek(1) == '=': return Simple(SeclTokenKind.NotEqual, 2);
            case '!' when Peek(1) == '~': return Simple(SeclTokenKind.NotMatch, 2);
            case '!': return Simple(SeclTokenKind.Bang, 1);
            case '<' when Peek(1) == '=': return Simple(SeclTokenKind.LessEqual, 2);
            case '<': return Simple(SeclTokenKind.Less, 1);
            case '>' when Peek(1) == '=': return Simple(SeclTokenKind.GreaterEqual, 2);
            case '>': return Simple(SeclTokenKind.Greater, 1);
            case '&' when Peek(1) == '&': return Simple(SeclTokenKind.AndAnd, 2);
            case '&': return Simple(SeclTokenKind.Ampersand, 1);
            case '|' when Peek(1) == '|': return Simple(SeclTokenKind.OrOr, 2);
            case '|': return Simple(SeclTokenKind.Pipe, 1);
            case '^': return Simple(SeclTokenKind.Caret, 1);
            case '+': return Simple(SeclTokenKind.Plus, 1);
            case '-': return Simple(SeclTokenKind.Minus, 1);
        }

        if (char.IsAsciiDigit(c) || (c == ':' && Peek(1) == ':')) return LexNumberOrAddress(start);
        if (char.IsAsciiLetter(c) || c == '_') return LexIdentifier(start);

        _position++;
        Report(start, 1, $"unexpected character \"{c}\"");
        return new SeclToken(SeclTokenKind.Bad, new TextSpan(start, 1), c.ToString());
    }

    private SeclToken Simple(SeclTokenKind kind, int length)
    {
        var start = _position;
        _position += length;
        return new SeclToken(kind, new TextSpan(start, length), _text.Substring(start, length));
    }

    private void SkipTrivia()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (char.IsWhiteSpace(c)) { _position++; continue; }
            if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (_position < _text.Length && _text[_position] != '\n') _position++;
                continue;
            }
            return;
        }
    }

    private SeclToken LexString(SeclTokenKind kind, int start, int prefixLength)
    {
        _position += prefixLength;
        var builder = new StringBuilder();
        while (_position < _text.Length && _text[_position] != '"')
        {
            var c = _text[_position++];
            if (c == '\\' && _position < _text.Length)
            {
                var escaped = _text[_position++];
                // Regexes keep their escapes: the regex engine interprets them.
                if (kind == SeclTokenKind.Regex && escaped != '"') builder.Append('\\');
                builder.Append(escaped switch { 'n' when kind != SeclTokenKind.Regex => '\n', 't' when kind != SeclTokenKind.Regex => '\t', _ => escaped });
                continue;
            }
            builder.Append(c);
        }
        if (_position >= _text.Length)
        {
            Report(start, _position - start, "unterminated string");
            return new SeclToken(SeclTokenKind.Bad, TextSpan.FromBounds(start, _position), builder.ToString());
        }
        _position++; // closing quote
        return new SeclToken(kind, TextSpan.FromBounds(start, _position), builder.ToString());
    }

    private SeclToken LexVariable(int start)
    {
        _position += 2;
        var nameStart = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '_' or '.')) _position++;
        var name = _text[nameStart.._position];
        if (Peek() != '}' || name.Length == 0)
        {
            Report(start, Math.Max(1, _position - start), "malformed variable, expected ${name}");
            return new SeclToken(SeclTokenKind.Bad, TextSpan.FromBounds(start, _position), name);
        }
        _position++;
        return new SeclToken(SeclTokenKind.Variable, TextSpan.FromBounds(start, _position), name);
    }

    private SeclToken LexIdentifier(int start)
    {
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '_' or '.' or '[' or ']'))
            _position++;
        // An identifier-looking start followed by ':' is an IPv6 literal such as fe80::1.
        if (Peek() == ':' && IsHex(_text.AsSpan(start, _position - start))) return LexNumberOrAddress(start);
        // A trailing ']' closes an array rather than a register: "[A, B]" must not swallow the bracket.
        while (_position > start + 1 && _text[_position - 1] == ']' && !HasOpenRegister(_text.AsSpan(start, _position - start))) _position--;
        var text = _text[start.._position];
        var kind = text switch
        {
            "in" => SeclTokenKind.InKeyword,
            "not" => SeclTokenKind.NotKeyword,
            "allin" => SeclTokenKind.AllInKeyword,
            "and" => SeclTokenKind.AndKeyword,
            "or" => SeclTokenKind.OrKeyword,
            _ => SeclTokenKind.Identifier,
        };
        return new SeclToken(kind, TextSpan.FromBounds(start, _position), text);
    }

    private static bool HasOpenRegister(ReadOnlySpan<char> text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            if (c == '[') depth++;
            else if (c == ']') depth--;
        }
        return depth >= 0 && text.IndexOf('[') >= 0;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text) if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }

    private SeclToken LexNumberOrAddress(int start)
    {
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '.' or ':' or '/'))
            _position++;
        var text = _text[start.._position];
        var span = TextSpan.FromBounds(start, _position);

        if (long.TryParse(text, out var number)) return new SeclToken(SeclTokenKind.IntegerLiteral, span, text, number);
        if (TryParseDuration(text, out var nanoseconds)) return new SeclToken(SeclTokenKind.Duration, span, text, nanoseconds);
        if ((text.Contains('.') || text.Contains(':')) && IpNetwork.TryParse(text, out _))
            return new SeclToken(text.Contains('/') ? SeclTokenKind.Cidr : SeclTokenKind.IpAddress, span, text);

        Report(start, span.Length, $"invalid number, duration or address \"{text}\"");
        return new SeclToken(SeclTokenKind.Bad, span, text);
    }

    /// <summary>Datadog durations: digits followed by ms, s, m, h or d; value in nanoseconds.</summary>
    public static bool TryParseDuration(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), out var amount)) return false;
        long unit = text[digits..] switch
        {
            "ms" => 1_000_000L,
            "s" => 1_000_000_000L,
            "m" => 60_000_000_000L,
            "h" => 3_600_000_000_000L,
            "d" => 86_400_000_000_000L,
            _ => 0,
        };
        if (unit == 0 || amount > long.MaxValue / unit) return false;
        nanoseconds = amount * unit;
        return true;
    }

    private void Report(int start, int length, string message) =>
        _diagnostics.Add(SeclDiagnostic.Create(SeclDiagnosticKind.Syntax, message, new TextSpan(start, length), _text));
}
