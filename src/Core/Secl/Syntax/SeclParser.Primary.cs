using System.Collections.Immutable;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Syntax;

public sealed partial class SeclParser
{
    private SyntaxNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case SeclTokenKind.Identifier:
                Advance();
                return ParseIdentifier(token);
            case SeclTokenKind.StringLiteral:
                Advance();
                return new StringSyntax(token.Text, SplitInterpolation(token.Text), token.Span);
            case SeclTokenKind.Pattern:
                Advance();
                return new PatternSyntax(token.Text, token.Span);
            case SeclTokenKind.Regex:
                Advance();
                return new RegexSyntax(token.Text, token.Span);
            case SeclTokenKind.IntegerLiteral:
                Advance();
                return new IntegerSyntax(token.IntValue, token.Span);
            case SeclTokenKind.Duration:
                Advance();
                return new DurationSyntax(token.IntValue, token.Span);
            case SeclTokenKind.IpAddress or SeclTokenKind.Cidr:
                Advance();
                return IpNetwork.TryParse(token.Text, out var network) ? new IpSyntax(network, token.Span) : new ErrorSyntax(token.Span);
            case SeclTokenKind.Variable:
                Advance();
                return new VariableSyntax(token.Text, token.Span);
            case SeclTokenKind.OpenParen:
                return ParseParenthesized();
            case SeclTokenKind.OpenBracket:
                return ParseArray();
            default:
                ReportUnexpected(token);
                // Do not consume tokens that close or separate: the caller's recovery needs them.
                if (token.Kind is not (SeclTokenKind.EndOfInput or SeclTokenKind.CloseParen or SeclTokenKind.CloseBracket or SeclTokenKind.Comma))
                    Advance();
                return new ErrorSyntax(token.Span);
        }
    }

    private SyntaxNode ParseIdentifier(SeclToken token)
    {
        var text = token.Text;
        var open = text.IndexOf('[');
        if (open < 0) return new IdentifierSyntax(text, null, token.Span);

        // Register: prefix[A].suffix -> field "prefix.suffix" bound to register A.
        var close = text.IndexOf(']', open);
        var register = close > open ? text[(open + 1)..close] : "";
        var rest = close > open ? text[(close + 1)..] : "";
        if (register.Length == 0 || !register.All(char.IsAsciiLetterOrDigit) || (rest.Length > 0 && rest[0] != '.') || rest.Contains('['))
        {
            Report(token.Span, $"malformed register in \"{text}\"");
            return new ErrorSyntax(token.Span);
        }
        return new IdentifierSyntax(text[..open] + rest, register, token.Span);
    }

    private SyntaxNode ParseParenthesized()
    {
        var open = Advance();
        if (!EnterNesting()) return new ErrorSyntax(open.Span);
        try
        {
            var inner = ParseLevel(0);
            var end = inner.Span.End;
            if (Current.Kind == SeclTokenKind.CloseParen) end = Advance().Span.End;
            else Report(Current.Span, Current.Kind == SeclTokenKind.EndOfInput ? "missing \")\"" : $"unexpected token \"{Current.Text}\", expected \")\"");
            return new ParenthesizedSyntax(inner, TextSpan.FromBounds(open.Span.Start, end));
        }
        finally
        {
            _depth--;
        }
    }

    private SyntaxNode ParseArray()
    {
        var open = Advance();
        if (!EnterNesting()) return new ErrorSyntax(open.Span);
        try
        {
            var items = ImmutableArray.CreateBuilder<SyntaxNode>();
            while (Current.Kind is not (SeclTokenKind.CloseBracket or SeclTokenKind.EndOfInput))
            {
                var before = _index;
                items.Add(ParseUnary());
                if (Current.Kind == SeclTokenKind.Comma) { Advance(); continue; }
                if (Current.Kind is SeclTokenKind.CloseBracket or SeclTokenKind.EndOfInput) break;
                ReportUnexpected(Current);
                // Recover: skip to the next separator or the closing bracket.
                while (Current.Kind is not (SeclTokenKind.Comma or SeclTokenKind.CloseBracket or SeclTokenKind.EndOfInput)) Advance();
                if (Current.Kind == SeclTokenKind.Comma) Advance();
                if (_index == before) Advance();
            }
            var end = Current.Span.End;
            if (Current.Kind == SeclTokenKind.CloseBracket) Advance();
            else Report(Current.Span, "missing \"]\"");
            if (items.Count == 0) Report(TextSpan.FromBounds(open.Span.Start, end), "empty array");
            return new ArraySyntax(items.ToImmutable(), TextSpan.FromBounds(open.Span.Start, end));
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>Splits "a${x}b" into parts; returns default when there is nothing to interpolate.</summary>
    private static ImmutableArray<StringPart> SplitInterpolation(string value)
    {
        if (!value.Contains("${", StringComparison.Ordinal)) return default;
        var parts = ImmutableArray.CreateBuilder<StringPart>();
        var position = 0;
        while (position < value.Length)
        {
            var start = value.IndexOf("${", position, StringComparison.Ordinal);
            var end = start < 0 ? -1 : value.IndexOf('}', start);
            if (start < 0 || end < 0)
            {
                parts.Add(new StringPart(value[position..], false));
                break;
            }
            if (start > position) parts.Add(new StringPart(value[position..start], false));
            parts.Add(new StringPart(value[(start + 2)..end], true));
            position = end + 1;
        }
        return parts.ToImmutable();
    }
}
