namespace Vigil.Core.Secl.Syntax;

/// <summary>
/// The single precedence table of SECL binary operators, loosest first. Level 0 puts
/// <c>&amp;&amp;</c> and <c>||</c> at the same right-associative level as Datadog's participle
/// grammar does (<c>a &amp;&amp; b || c</c> is <c>a &amp;&amp; (b || c)</c>).
/// </summary>
internal static class Precedence
{
    public const int Levels = 4;

    public static bool IsRightAssociative(int level) => level != 2;

    /// <summary>Recognises a binary operator of the given level at the current token (two tokens for <c>not in</c>).</summary>
    public static bool TryGet(SeclToken token, SeclToken next, int level, out BinaryOperator op, out int tokenCount)
    {
        tokenCount = 1;
        BinaryOperator? found = (level, token.Kind) switch
        {
            (0, SeclTokenKind.AndAnd or SeclTokenKind.AndKeyword) => BinaryOperator.And,
            (0, SeclTokenKind.OrOr or SeclTokenKind.OrKeyword) => BinaryOperator.Or,
            (1, SeclTokenKind.EqualEqual) => BinaryOperator.Equal,
            (1, SeclTokenKind.NotEqual) => BinaryOperator.NotEqual,
            (1, SeclTokenKind.Less) => BinaryOperator.Less,
            (1, SeclTokenKind.LessEqual) => BinaryOperator.LessOrEqual,
            (1, SeclTokenKind.Greater) => BinaryOperator.Greater,
            (1, SeclTokenKind.GreaterEqual) => BinaryOperator.GreaterOrEqual,
            (1, SeclTokenKind.Match) => BinaryOperator.Match,
            (1, SeclTokenKind.NotMatch) => BinaryOperator.NotMatch,
            (1, SeclTokenKind.InKeyword) => BinaryOperator.In,
            (1, SeclTokenKind.AllInKeyword) => BinaryOperator.AllIn,
            (1, SeclTokenKind.NotKeyword) when next.Kind == SeclTokenKind.InKeyword => BinaryOperator.NotIn,
            (2, SeclTokenKind.Plus) => BinaryOperator.Add,
            (2, SeclTokenKind.Minus) => BinaryOperator.Subtract,
            (3, SeclTokenKind.Ampersand) => BinaryOperator.BitAnd,
            (3, SeclTokenKind.Pipe) => BinaryOperator.BitOr,
            (3, SeclTokenKind.Caret) => BinaryOperator.BitXor,
            _ => null,
        };
        if (found == BinaryOperator.NotIn) tokenCount = 2;
        op = found.GetValueOrDefault();
        return found.HasValue;
    }
}
