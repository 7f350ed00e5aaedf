using System.Collections.Immutable;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Syntax;

/// <summary>Immutable SECL syntax tree node. Every node knows its span in the source.</summary>
public abstract record SyntaxNode(TextSpan Span);

public enum BinaryOperator
{
    And, Or,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, Match, NotMatch,
    In, NotIn, AllIn,
    BitAnd, BitOr, BitXor,
    Add, Subtract,
}

public enum UnaryOperator { Not, Negate, BitNot }

public sealed record BinarySyntax(SyntaxNode Left, BinaryOperator Operator, SyntaxNode Right, TextSpan Span) : SyntaxNode(Span);

public sealed record UnarySyntax(UnaryOperator Operator, SyntaxNode Operand, TextSpan Span) : SyntaxNode(Span);

public sealed record ParenthesizedSyntax(SyntaxNode Inner, TextSpan Span) : SyntaxNode(Span);

/// <summary>A field, constant, macro or event name; <paramref name="Register"/> is set for <c>process.ancestors[A].uid</c>.</summary>
public sealed record IdentifierSyntax(string Name, string? Register, TextSpan Span) : SyntaxNode(Span);

/// <summary>One piece of an interpolated string: literal text or a <c>${variable}</c>.</summary>
public readonly record struct StringPart(string Text, bool IsVariable);

/// <summary>A quoted string; <paramref name="Parts"/> is non-empty only when it contains <c>${...}</c>.</summary>
public sealed record StringSyntax(string Value, ImmutableArray<StringPart> Parts, TextSpan Span) : SyntaxNode(Span)
{
    public bool IsInterpolated => !Parts.IsDefaultOrEmpty;
}

public sealed record PatternSyntax(string Pattern, TextSpan Span) : SyntaxNode(Span);

public sealed record RegexSyntax(string Pattern, TextSpan Span) : SyntaxNode(Span);

public sealed record IntegerSyntax(long Value, TextSpan Span) : SyntaxNode(Span);

public sealed record DurationSyntax(long Nanoseconds, TextSpan Span) : SyntaxNode(Span);

public sealed record IpSyntax(IpNetwork Value, TextSpan Span) : SyntaxNode(Span);

public sealed record VariableSyntax(string Name, TextSpan Span) : SyntaxNode(Span);

public sealed record ArraySyntax(ImmutableArray<SyntaxNode> Items, TextSpan Span) : SyntaxNode(Span);

/// <summary>Placeholder where the parser could not read anything; a diagnostic was reported.</summary>
public sealed record ErrorSyntax(TextSpan Span) : SyntaxNode(Span);

/// <summary>Result of parsing: the tree (may contain <see cref="ErrorSyntax"/>) and every diagnostic.</summary>
public sealed record ParseResult(string Source, SyntaxNode Root, ImmutableArray<SeclDiagnostic> Diagnostics)
{
    public bool Success => Diagnostics.IsEmpty;
}
