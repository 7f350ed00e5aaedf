using System.Buffers;
using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Vigil.Core.Secl.Model;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>Where a string operand that is not a field comes from: a literal, an interpolated string, a variable.</summary>
internal abstract class StringSource
{
    public abstract void Get(SeclContext context, out string? single, out string[]? many);
}

internal sealed class LiteralStringSource(string value) : StringSource
{
    public override void Get(SeclContext context, out string? single, out string[]? many) { single = value; many = null; }
}

internal sealed class VariableStringSource(string name) : StringSource
{
    public override void Get(SeclContext context, out string? single, out string[]? many) => context.Variables.GetStrings(context, name, out single, out many);
}

/// <summary>Another (single-valued) field of the event as a comparison value.</summary>
internal sealed class FieldStringSource(SeclField field) : StringSource
{
    public override void Get(SeclContext context, out string? single, out string[]? many) =>
        FieldAccess.GetStrings(context.Event, context.Event, field, out single, out many);
}

internal sealed class InterpolatedStringSource(StringPart[] parts) : StringSource
{
    public override void Get(SeclContext context, out string? single, out string[]? many)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var part in parts)
        {
            if (!part.IsVariable) { builder.Append(part.Text); continue; }
            context.Variables.GetStrings(context, part.Text, out var value, out var values);
            builder.Append(value ?? (values is null ? "" : string.Join(',', values)));
        }
        single = builder.ToString();
        many = null;
    }
}

/// <summary>The right side of a string comparison: exact values (hashed), globs, regexes and runtime values.</summary>
internal sealed class StringMatcher(FrozenSet<string> exact, Glob[] globs, Regex[] regexes, StringSource[] dynamic, bool ignoreCase)
{
    // "*literal*" globs are searched together in one vectorised multi-substring scan.
    private readonly SearchValues<string>? _contains = globs.Count(g => g.ContainsLiteral is not null) > 1
        ? SearchValues.Create([.. globs.Where(g => g.ContainsLiteral is not null).Select(g => g.ContainsLiteral!)], ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
        : null;

    private readonly Glob[] _otherGlobs = globs.Count(g => g.ContainsLiteral is not null) > 1 ? [.. globs.Where(g => g.ContainsLiteral is null)] : globs;

    public FrozenSet<string> Exact { get; } = exact;

    public IReadOnlyList<Glob> Globs => globs;

    public bool HasOnlyExact => globs.Length == 0 && regexes.Length == 0 && dynamic.Length == 0;

    public bool HasNoDynamicValues => regexes.Length == 0 && dynamic.Length == 0;

    public bool IgnoreCase => ignoreCase;

    public bool Matches(SeclContext context, string value)
    {
        if (Exact.Contains(value)) return true;
        if (_contains is not null && value.AsSpan().ContainsAny(_contains)) return true;
        foreach (var glob in _otherGlobs) if (glob.Matches(value)) return true;
        foreach (var regex in regexes)
        {
            try
            {
                if (regex.IsMatch(value)) return true;
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological value cannot hold the evaluator hostage: no match.
            }
        }
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var source in dynamic)
        {
            source.Get(context, out var single, out var many);
            if (single is not null && string.Equals(single, value, comparison)) return true;
            if (many is not null) foreach (var item in many) if (string.Equals(item, value, comparison)) return true;
        }
        return false;
    }
}

internal sealed class StringFieldComparison(SeclField? field, StringSource? left, int iteratorId, int register, Quantifier quantifier,
    StringMatcher matcher, TextSpan span) : FieldComparison(field, iteratorId, register, quantifier, span)
{
    public StringMatcher Matcher { get; } = matcher;


    protected override bool AnyIn(SeclContext context, SeclValueBag bag)
    {
        Read(context, bag, out var single, out var many);
        if (single is not null && Matcher.Matches(context, single)) return true;
        if (many is not null) foreach (var value in many) if (Matcher.Matches(context, value)) return true;
        return false;
    }

    protected override bool AllIn(SeclContext context, SeclValueBag bag)
    {
        Read(context, bag, out var single, out var many);
        if (single is not null) return Matcher.Matches(context, single);
        if (many is null || many.Length == 0) return false;
        foreach (var value in many) if (!Matcher.Matches(context, value)) return false;
        return true;
    }

    private void Read(SeclContext context, SeclValueBag bag, out string? single, out string[]? many)
    {
        if (Field is not null) FieldAccess.GetStrings(context.Event, bag, Field, out single, out many);
        else left!.Get(context, out single, out many);
    }
}

internal enum IntOperator { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, In }

/// <summary>Integer comparison; <paramref name="field"/> is the one multi-valued field the left side iterates (may be null).</summary>
internal sealed class IntComparison(SeclField? field, int iteratorId, int register, Quantifier quantifier,
    IntExpression left, IntOperator op, IntExpression? right, FrozenSet<long>? set, TextSpan span)
    : FieldComparison(field, iteratorId, register, quantifier, span)
{
    public FrozenSet<long>? Set { get; } = set;

    public IntOperator Operator { get; } = op;

    public IntExpression Right => right!;

    /// <summary>True when the left side is the field itself (no arithmetic, no age).</summary>
    internal bool IsPlainField => left is IntIteratedField || left is IntScalarField;

    internal IntExpression Left => left;

    protected override bool AnyIn(SeclContext context, SeclValueBag bag)
    {
        if (Field is null) return Test(context, 0);
        FieldAccess.GetInts(context.Event, bag, Field, out var single, out var many);
        if (many is null) return Test(context, single);
        foreach (var value in many) if (Test(context, value)) return true;
        return false;
    }

    protected override bool AllIn(SeclContext context, SeclValueBag bag)
    {
        if (Field is null) return Test(context, 0);
        FieldAccess.GetInts(context.Event, bag, Field, out var single, out var many);
        if (many is null) return Test(context, single);
        if (many.Length == 0) return false;
        foreach (var value in many) if (!Test(context, value)) return false;
        return true;
    }

    private bool Test(SeclContext context, long current)
    {
        var value = left.Evaluate(context, current);
        if (Operator == IntOperator.In) return Set!.Contains(value);
        var other = right!.Evaluate(context, current);
        return Operator switch
        {
            IntOperator.Equal => value == other,
            IntOperator.NotEqual => value != other,
            IntOperator.Less => value < other,
            IntOperator.LessOrEqual => value <= other,
            IntOperator.Greater => value > other,
            _ => value >= other,
        };
    }
}

internal sealed class BoolComparison(SeclField field, int iteratorId, int register, bool expected, TextSpan span)
    : FieldComparison(field, iteratorId, register, Quantifier.Any, span)
{
    internal bool Expected => expected;

    protected override bool AnyIn(SeclContext context, SeclValueBag bag) => FieldAccess.GetBool(bag, Field!) == expected;

    protected override bool AllIn(SeclContext context, SeclValueBag bag) => AnyIn(context, bag);
}

/// <summary>IP field against addresses and networks: an address matches a network that contains it.</summary>
internal sealed class IpComparison(SeclField field, int iteratorId, int register, Quantifier quantifier, IpNetwork[] networks, TextSpan span)
    : FieldComparison(field, iteratorId, register, quantifier, span)
{
    protected override bool AnyIn(SeclContext context, SeclValueBag bag)
    {
        FieldAccess.GetIps(bag, Field!, out var single, out var many, out var present);
        if (!present) return false;
        if (many is null) return Matches(single);
        foreach (var value in many) if (Matches(value)) return true;
        return false;
    }

    protected override bool AllIn(SeclContext context, SeclValueBag bag)
    {
        FieldAccess.GetIps(bag, Field!, out var single, out var many, out var present);
        if (!present) return false;
        if (many is null) return Matches(single);
        if (many.Length == 0) return false;
        foreach (var value in many) if (!Matches(value)) return false;
        return true;
    }

    private bool Matches(IpNetwork value)
    {
        foreach (var network in networks) if (network.Contains(value)) return true;
        return false;
    }
}
