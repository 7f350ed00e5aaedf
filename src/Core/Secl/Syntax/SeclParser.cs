
namespace Vigil.Core.Secl.Syntax;

/// <summary>
/// Recursive-descent parser over one precedence table. Collects every error it can find with its
/// position and recovers (skips a token, closes a bracket) instead of stopping at the first one.
/// Nesting is bounded by <see cref="MaxDepth"/> so hostile input cannot exhaust the stack.
/// </summary>
public sealed partial class SeclParser
{
    /// <summary>Maximum nesting of parentheses, unary operators and arrays.</summary>
    public const int MaxDepth = 128;

    /// <summary>Maximum operands in one operator chain (a &amp;&amp; b &amp;&amp; ...): the bound tree nests that deep.</summary>
    public const int MaxChainLength = 2048;

    private readonly string _source;
    private readonly List<SeclToken> _tokens;
    private readonly List<SeclDiagnostic> _diagnostics;
    private int _index;
    private int _depth;
    private bool _depthReported;

    private SeclParser(string source)
    {
        _source = source;
        _diagnostics = [];
        _tokens = SeclLexer.Tokenize(source, _diagnostics);
    }

    /// <summary>Parses an expression. Never throws for any input.</summary>
    public static ParseResult Parse(string source)
    {
        var parser = new SeclParser(source ?? string.Empty);
        var root = parser.ParseRoot();
        return new ParseResult(parser._source, root, [.. parser._diagnostics.OrderBy(d => d.Span.Start)]);
    }

    private SeclToken Current => _tokens[_index];

    private SeclToken PeekToken(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private SeclToken Advance()
    {
        var token = Current;
        if (_index < _tokens.Count - 1) _index++;
        return token;
    }

    private SyntaxNode ParseRoot()
    {
        if (Current.Kind == SeclTokenKind.EndOfInput)
        {
            Report(Current.Span, "empty expression");
            return new ErrorSyntax(Current.Span);
        }
        var root = ParseLevel(0);
        // Recovery: report each stray token and keep parsing so later errors are found too.
        while (Current.Kind != SeclTokenKind.EndOfInput)
        {
            ReportUnexpected(Current);
            Advance();
            if (CanStartOperand(Current.Kind)) ParseLevel(0);
        }
        return root;
    }

    private SyntaxNode ParseLevel(int level)
    {
        if (level == Precedence.Levels) return ParseUnary();

        var first = ParseLevel(level + 1);
        if (!Precedence.TryGet(Current, PeekToken(1), level, out _, out _)) return first;

        var operands = new List<SyntaxNode> { first };
        var operators = new List<BinaryOperator>();
        while (Precedence.TryGet(Current, PeekToken(1), level, out var op, out var tokenCount))
        {
            for (var i = 0; i < tokenCount; i++) Advance();
            operators.Add(op);
            operands.Add(op is BinaryOperator.In or BinaryOperator.NotIn or BinaryOperator.AllIn ? ParseUnary() : ParseLevel(level + 1));
            if (operands.Count > MaxChainLength)
            {
                ReportDepth(operands[^1].Span);
                SkipToEnd();
                break;
            }
        }
        return Precedence.IsRightAssociative(level) ? FoldRight(operands, operators) : FoldLeft(operands, operators);
    }

    private static SyntaxNode FoldRight(List<SyntaxNode> operands, List<BinaryOperator> operators)
    {
        var result = operands[^1];
        for (var i = operators.Count - 1; i >= 0; i--)
            result = new BinarySyntax(operands[i], operators[i], result, operands[i].Span.Union(result.Span));
        return result;
    }

    private static SyntaxNode FoldLeft(List<SyntaxNode> operands, List<BinaryOperator> operators)
    {
        var result = operands[0];
        for (var i = 0; i < operators.Count; i++)
            result = new BinarySyntax(result, operators[i], operands[i + 1], result.Span.Union(operands[i + 1].Span));
        return result;
    }

    private SyntaxNode ParseUnary()
    {
        if (!EnterNesting()) return new ErrorSyntax(Current.Span);
        try
        {
            var token = Current;
            UnaryOperator? op = token.Kind switch
            {
                SeclTokenKind.Bang or SeclTokenKind.NotKeyword => UnaryOperator.Not,
                SeclTokenKind.Minus => UnaryOperator.Negate,
                SeclTokenKind.Caret => UnaryOperator.BitNot,
                _ => null,
            };
            if (op is null) return ParsePrimary();
            Advance();
            var operand = ParseUnary();
            return new UnarySyntax(op.Value, operand, token.Span.Union(operand.Span));
        }
        finally
        {
            _depth--;
        }
    }

    private bool EnterNesting()
    {
        _depth++;
        if (_depth <= MaxDepth) return true;
        ReportDepth(Current.Span);
        SkipToEnd();
        _depth--;
        return false;
    }

    private void ReportDepth(TextSpan span)
    {
        if (_depthReported) return;
        _depthReported = true;
        Report(span, $"expression is nested too deeply (limit {MaxDepth} levels, {MaxChainLength} operands per chain)");
    }

    private void SkipToEnd()
    {
        while (Current.Kind != SeclTokenKind.EndOfInput) Advance();
    }

    private static bool CanStartOperand(SeclTokenKind kind) => kind is SeclTokenKind.Identifier or SeclTokenKind.StringLiteral
        or SeclTokenKind.Pattern or SeclTokenKind.Regex or SeclTokenKind.IntegerLiteral or SeclTokenKind.Duration
        or SeclTokenKind.IpAddress or SeclTokenKind.Cidr or SeclTokenKind.Variable or SeclTokenKind.OpenParen
        or SeclTokenKind.OpenBracket or SeclTokenKind.Bang or SeclTokenKind.NotKeyword or SeclTokenKind.Minus or SeclTokenKind.Caret;

    private void Report(TextSpan span, string message) =>
        _diagnostics.Add(SeclDiagnostic.Create(SeclDiagnosticKind.Syntax, message, span, _source));

    private void ReportUnexpected(SeclToken token)
    {
        if (token.Kind == SeclTokenKind.Bad) return; // the lexer already reported it
        Report(token.Span, token.Kind == SeclTokenKind.EndOfInput ? "unexpected end of expression" : $"unexpected token \"{token.Text}\"");
    }
}
