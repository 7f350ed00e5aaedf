using System.Collections.Immutable;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Binding;

/// <summary>Intermediate result of binding a sub-expression, before comparisons turn it into a node.</summary>
internal abstract record BoundOperand(TextSpan Span);

internal sealed record BoolOperand(SeclNode Node, TextSpan Span) : BoundOperand(Span);

internal sealed record BoolLiteralOperand(bool Value, TextSpan Span) : BoundOperand(Span);

/// <summary>A field reference; iterator id and register are resolved (-1 when absent).</summary>
internal sealed record FieldOperand(SeclField Field, int IteratorId, int Register, TextSpan Span) : BoundOperand(Span)
{
    public bool IsMultiValued => Field.IsList || IteratorId >= 0;
}

internal sealed record StringLiteralOperand(string Value, TextSpan Span) : BoundOperand(Span);

internal sealed record InterpolatedOperand(ImmutableArray<StringPart> Parts, TextSpan Span) : BoundOperand(Span);

internal sealed record PatternOperand(string Pattern, TextSpan Span) : BoundOperand(Span);

internal sealed record RegexOperand(string Pattern, TextSpan Span) : BoundOperand(Span);

/// <summary>An integer expression; <paramref name="Driver"/> is the multi-valued field it iterates, if any.</summary>
internal sealed record IntOperand(IntExpression Expression, FieldOperand? Driver, bool IsDuration, TextSpan Span) : BoundOperand(Span)
{
    /// <summary>The single-valued field when the expression is that field, or that field combined with a constant.</summary>
    public FieldOperand? Scalar { get; init; }
}

internal sealed record IpOperand(IpNetwork Value, TextSpan Span) : BoundOperand(Span);

internal sealed record ArrayOperand(ImmutableArray<BoundOperand> Items, TextSpan Span) : BoundOperand(Span);

internal sealed record VariableOperand(string Name, SeclVariableType Type, TextSpan Span) : BoundOperand(Span);

internal sealed record ErrorOperand(TextSpan Span) : BoundOperand(Span);

/// <summary>Declared type of a user or built-in variable.</summary>
public sealed record SeclVariableType(SeclValueType Type, bool IsList);
