using Vigil.Core.Secl.Model;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>A compiled boolean sub-expression. Span points back into the rule source for explanations.</summary>
public abstract class SeclNode(TextSpan span)
{
    public TextSpan Span { get; } = span;

    /// <summary>Source text of this sub-expression (set for comparisons, used to explain matches).</summary>
    public string? Expression { get; internal set; }

    public abstract bool Evaluate(SeclContext context);
}

internal sealed class AndNode(SeclNode left, SeclNode right, TextSpan span) : SeclNode(span)
{
    public SeclNode Left { get; } = left;
    public SeclNode Right { get; } = right;
    public override bool Evaluate(SeclContext context) => Left.Evaluate(context) && Right.Evaluate(context);
}

internal sealed class OrNode(SeclNode left, SeclNode right, TextSpan span) : SeclNode(span)
{
    public SeclNode Left { get; } = left;
    public SeclNode Right { get; } = right;
    public override bool Evaluate(SeclContext context) => Left.Evaluate(context) || Right.Evaluate(context);
}

internal sealed class NotNode(SeclNode operand, TextSpan span) : SeclNode(span)
{
    public override bool Evaluate(SeclContext context)
    {
        // A "not" inverts: what matched beneath it is not an explanation of the match.
        var trace = context.Trace;
        context.Trace = null;
        var result = !operand.Evaluate(context);
        context.Trace = trace;
        return result;
    }
}

/// <summary>Two boolean sub-expressions compared with == or !=.</summary>
internal sealed class BoolEqualityNode(SeclNode left, SeclNode right, bool notEqual, TextSpan span) : SeclNode(span)
{
    public override bool Evaluate(SeclContext context) => (left.Evaluate(context) == right.Evaluate(context)) != notEqual;
}

/// <summary>A boolean user variable used as a condition (false when unset).</summary>
internal sealed class BoolVariableNode(string name, TextSpan span) : SeclNode(span)
{
    public override bool Evaluate(SeclContext context) => context.Variables.GetBool(context, name);
}

internal sealed class ConstantNode(bool value, TextSpan span) : SeclNode(span)
{
    public override bool Evaluate(SeclContext context) => value;
}

/// <summary>
/// Root of a rule that uses registers: the whole expression is evaluated once per element binding,
/// so <c>process.ancestors[A].x</c> conditions refer to the same element.
/// </summary>
internal sealed class RegisterLoopNode(SeclNode inner, int[] registerIterators, TextSpan span) : SeclNode(span)
{
    public override bool Evaluate(SeclContext context) => Bind(context, 0);

    private bool Bind(SeclContext context, int register)
    {
        if (register == registerIterators.Length) return inner.Evaluate(context);
        var count = context.Event.ElementCount(registerIterators[register]);
        for (var i = 0; i < count; i++)
        {
            context.Registers[register] = i;
            if (Bind(context, register + 1)) return true;
        }
        context.Registers[register] = -1;
        return false;
    }
}

internal enum Quantifier
{
    /// <summary>Some value satisfies the predicate (==, !=, in, =~, &lt; ...).</summary>
    Any,
    /// <summary>No value satisfies it (not in).</summary>
    None,
    /// <summary>Every value satisfies it and there is at least one (allin).</summary>
    All,
}

/// <summary>A comparison on a field with Datadog's "any element" semantics over lists and iterators.</summary>
internal abstract class FieldComparison(SeclField? field, int iteratorId, int register, Quantifier quantifier, TextSpan span) : SeclNode(span)
{
    internal SeclField? Field { get; } = field;

    internal bool IsIterated => iteratorId >= 0;

    internal Quantifier Quantifier => quantifier;

    public override bool Evaluate(SeclContext context)
    {
        var result = quantifier switch
        {
            Quantifier.Any => Any(context),
            Quantifier.None => !Any(context),
            _ => All(context),
        };
        if (result) context.Trace?.Add(this);
        return result;
    }

    private bool Any(SeclContext context)
    {
        var evt = context.Event;
        if (iteratorId < 0) return AnyIn(context, evt);
        if (register >= 0)
        {
            var index = context.Registers[register];
            return index >= 0 && index < evt.ElementCount(iteratorId) && AnyIn(context, evt.Element(iteratorId, index));
        }
        var count = evt.ElementCount(iteratorId);
        for (var i = 0; i < count; i++)
        {
            if (AnyIn(context, evt.Element(iteratorId, i))) return true;
        }
        return false;
    }

    private bool All(SeclContext context)
    {
        var evt = context.Event;
        if (iteratorId < 0) return AllIn(context, evt);
        if (register >= 0)
        {
            var index = context.Registers[register];
            return index >= 0 && index < evt.ElementCount(iteratorId) && AllIn(context, evt.Element(iteratorId, index));
        }
        var count = evt.ElementCount(iteratorId);
        for (var i = 0; i < count; i++)
        {
            if (!AllIn(context, evt.Element(iteratorId, i))) return false;
        }
        return count > 0;
    }

    /// <summary>Some value of the field in this bag satisfies the predicate.</summary>
    protected abstract bool AnyIn(SeclContext context, SeclValueBag bag);

    /// <summary>Every value of the field in this bag satisfies the predicate (false when there is none).</summary>
    protected abstract bool AllIn(SeclContext context, SeclValueBag bag);
}
