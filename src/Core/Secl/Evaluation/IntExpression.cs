using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>Integer sub-expression (constants, bit masks, arithmetic, fields, variables).</summary>
internal abstract class IntExpression
{
    /// <param name="current">Value of the multi-valued field being iterated by the enclosing comparison.</param>
    public abstract long Evaluate(SeclContext context, long current);

    /// <summary>True when the value does not depend on the event (folded at compile time).</summary>
    public virtual bool IsConstant => false;
}

internal sealed class IntConstant(long value) : IntExpression
{
    public long Value { get; } = value;
    public override bool IsConstant => true;
    public override long Evaluate(SeclContext context, long current) => Value;
}

/// <summary>The iterated field itself: its value is supplied by the comparison.</summary>
internal sealed class IntIteratedField : IntExpression
{
    public override long Evaluate(SeclContext context, long current) => current;
}

/// <summary>A single-valued event field (not the iterated one).</summary>
internal sealed class IntScalarField(SeclField field) : IntExpression
{
    public override long Evaluate(SeclContext context, long current)
    {
        FieldAccess.GetInts(context.Event, context.Event, field, out var single, out var many);
        return many is { Length: > 0 } ? many[0] : single;
    }
}

internal sealed class IntVariableReference(string name) : IntExpression
{
    public override long Evaluate(SeclContext context, long current) => context.Variables.GetInt(context, name);
}

/// <summary>"Age of" a timestamp: now minus the value (a timestamp compared with a duration).</summary>
internal sealed class IntAge(IntExpression timestamp) : IntExpression
{
    public override long Evaluate(SeclContext context, long current) => context.Now - timestamp.Evaluate(context, current);
}

internal enum IntArithmetic { BitAnd, BitOr, BitXor, Add, Subtract }

internal sealed class IntBinary(IntExpression left, IntArithmetic op, IntExpression right) : IntExpression
{
    public IntExpression Left => left;
    public IntArithmetic Operator => op;
    public IntExpression Right => right;

    public override bool IsConstant => left.IsConstant && right.IsConstant;

    public override long Evaluate(SeclContext context, long current)
    {
        var a = left.Evaluate(context, current);
        var b = right.Evaluate(context, current);
        return op switch
        {
            IntArithmetic.BitAnd => a & b,
            IntArithmetic.BitOr => a | b,
            IntArithmetic.BitXor => a ^ b,
            IntArithmetic.Add => unchecked(a + b),
            _ => unchecked(a - b),
        };
    }
}

internal sealed class IntUnary(IntExpression operand, bool bitNot) : IntExpression
{
    public override bool IsConstant => operand.IsConstant;

    public override long Evaluate(SeclContext context, long current)
    {
        var value = operand.Evaluate(context, current);
        return bitNot ? ~value : unchecked(-value);
    }
}
