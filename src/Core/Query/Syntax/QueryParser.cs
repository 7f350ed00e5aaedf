using System.Collections.Immutable;

namespace Vigil.Core.Query.Syntax;

/// <summary>
/// Parses the search syntax shared by detection rules, suppressions, notification rules and the signals
/// explorer. Hand-written recursive descent over one precedence table; collects diagnostics and recovers,
/// never throws on bad input.
/// </summary>
/// <remarks>
/// Precedence, loosest first: <c>OR</c>, then <c>AND</c> (explicit or implied by juxtaposition), then
/// <c>NOT</c> / <c>-</c>. So <c>a OR b c</c> is <c>a OR (b AND c)</c> and <c>a b OR c</c> is
/// <c>(a AND b) OR c</c>. Parentheses group; a field followed by a parenthesised group
/// (<c>@agent.rule_id:(a OR b)</c>) applies the field to every value in the group.
/// </remarks>
public sealed partial class QueryParser
{
    /// <summary>One row per binary level, loosest first; <c>Juxtaposition</c> marks the implicit operator.</summary>
    private static readonly (QueryTokenKind Keyword, string Name, bool Juxtaposition)[] Levels =
    [
        (QueryTokenKind.Or, "OR", false),
        (QueryTokenKind.And, "AND", true),
    ];

    private readonly string _text;
    private readonly QueryParserOptions _options;
    private readonly List<QueryDiagnostic> _diagnostics;
    private readonly List<QueryToken> _tokens;
    private int _index;
    private int _depth;
    private int _terms;
    private bool _aborted;

    private QueryParser(string text, QueryParserOptions options, List<QueryDiagnostic> diagnostics, List<QueryToken> tokens)
    {
        _text = text;
        _options = options;
        _diagnostics = diagnostics;
        _tokens = tokens;
    }

    /// <summary>Parses a query. Never throws: problems come back as diagnostics and a null query.</summary>
    public static QueryParseResult Parse(string? text, QueryParserOptions? options = null)
    {
        text ??= "";
        options ??= QueryParserOptions.Default;
        var diagnostics = new List<QueryDiagnostic>();
        if (text.Length > options.MaxLength)
        {
            diagnostics.Add(QueryDiagnostic.Create(text, new QuerySpan(options.MaxLength, text.Length - options.MaxLength),
                $"query is longer than the limit of {options.MaxLength} characters"));
            return new QueryParseResult(null, [.. diagnostics]);
        }

        var tokens = new QueryLexer(text, diagnostics).Tokenize();
        var parser = new QueryParser(text, options, diagnostics, tokens);
        var query = parser.ParseQuery();
        return diagnostics.Count == 0
            ? new QueryParseResult(query, [])
            : new QueryParseResult(null, [.. diagnostics]);
    }

    private QueryToken Current => _tokens[_index];

    private QueryToken Advance()
    {
        var token = _tokens[_index];
        if (_index < _tokens.Count - 1)
        {
            _index++;
        }

        return token;
    }

    private QueryNode ParseQuery()
    {
        if (Current.Kind == QueryTokenKind.EndOfInput)
        {
            return new MatchAllNode(new QuerySpan(0, _text.Length));
        }

        var parts = new List<QueryNode>();
        while (!_aborted)
        {
            var part = ParseBinary(0, null);
            if (part is not null)
            {
                parts.Add(part);
            }

            if (Current.Kind == QueryTokenKind.EndOfInput || _aborted)
            {
                break;
            }

            // ParseBinary stops only at the end or at a ')' it cannot pair.
            Report(Current.Span, "unexpected ')' without a matching '('");
            Advance();
        }

        return parts.Count switch
        {
            0 => new MatchAllNode(new QuerySpan(0, _text.Length)),
            1 => parts[0],
            _ => new AndNode([.. parts], QuerySpan.Between(parts[0].Span, parts[^1].Span)),
        };
    }

    /// <summary>Most diagnostics reported for one query; past it the parser stops (a wall of errors helps nobody).</summary>
    internal const int MaxDiagnostics = 50;

    private void Report(QuerySpan span, string message)
    {
        if (_aborted)
        {
            return;
        }

        if (_diagnostics.Count >= MaxDiagnostics)
        {
            message = $"too many errors; stopped after {MaxDiagnostics}";
            _aborted = true;
            _index = _tokens.Count - 1;
        }

        _diagnostics.Add(QueryDiagnostic.Create(_text, span, message));
    }

    /// <summary>Reports a limit and skips the rest of the input, so a hostile query costs no more work.</summary>
    private void Abort(QuerySpan span, string message)
    {
        Report(span, message);
        _aborted = true;
        _index = _tokens.Count - 1;
    }

    private bool EnterNesting(QueryToken token)
    {
        if (++_depth > _options.MaxDepth)
        {
            Abort(token.Span, $"nesting is deeper than the limit of {_options.MaxDepth} levels");
            return false;
        }

        return true;
    }

    private bool CountTerm(QuerySpan span)
    {
        if (++_terms > _options.MaxTerms)
        {
            Abort(span, $"query has more than the limit of {_options.MaxTerms} terms");
            return false;
        }

        return true;
    }

    private string Where(QuerySpan span) => QueryDiagnostic.Where(_text, span.Start);

    private static bool StartsTerm(QueryTokenKind kind) => kind is QueryTokenKind.Word or QueryTokenKind.Quoted
        or QueryTokenKind.Not or QueryTokenKind.Minus or QueryTokenKind.OpenParen
        or QueryTokenKind.OpenBracket or QueryTokenKind.OpenBrace
        or QueryTokenKind.GreaterThan or QueryTokenKind.GreaterOrEqual or QueryTokenKind.LessThan or QueryTokenKind.LessOrEqual
        // Stray tokens: ParsePrimary reports and skips them, so they continue the conjunction.
        or QueryTokenKind.Colon or QueryTokenKind.CloseBracket or QueryTokenKind.CloseBrace;

    private static ImmutableArray<QueryNode> Operands(List<QueryNode> nodes) => [.. nodes];
}
