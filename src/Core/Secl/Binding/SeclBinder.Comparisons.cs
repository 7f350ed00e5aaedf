using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Binding;

public sealed partial class SeclBinder
{
    /// <summary>
    /// Regexes run on the non-backtracking engine (RE2-like, linear time) and with a timeout as a second guard.
    /// The guard is generous: a timed-out match counts as no match, so a short one on a busy host (the engine
    /// builds its automaton on first use) would be a missed detection.
    /// </summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Arrays larger than this are rejected (an enormous list is an error for that rule only).</summary>
    public const int MaxArrayLength = 100_000;

    private IntOperand? ToInt(BoundOperand operand)
    {
        switch (operand)
        {
            case IntOperand i:
                return i;
            case FieldOperand { Field.Type: SeclValueType.Int } f:
                return f.IsMultiValued
                    ? new IntOperand(new IntIteratedField(), f, false, f.Span)
                    : new IntOperand(new IntScalarField(f.Field), null, false, f.Span) { Scalar = f };
            case VariableOperand { Type.Type: SeclValueType.Int } v:
                return new IntOperand(new Evaluation.IntVariableReference(v.Name), null, false, v.Span);
            case ErrorOperand:
                return null;
            default:
                Error(operand.Span, $"`{Text(operand.Span)}` is not an integer");
                return null;
        }
    }

    private BoundOperand BindArithmetic(BinarySyntax b, int macroDepth)
    {
        var left = ToInt(Bind(b.Left, macroDepth));
        var right = ToInt(Bind(b.Right, macroDepth));
        if (left is null || right is null) return new ErrorOperand(b.Span);
        if (left.Driver is not null && right.Driver is not null)
        {
            Error(b.Span, "an integer expression may use at most one list or iterator field");
            return new ErrorOperand(b.Span);
        }
        var op = b.Operator switch
        {
            BinaryOperator.BitAnd => IntArithmetic.BitAnd,
            BinaryOperator.BitOr => IntArithmetic.BitOr,
            BinaryOperator.BitXor => IntArithmetic.BitXor,
            BinaryOperator.Add => IntArithmetic.Add,
            _ => IntArithmetic.Subtract,
        };
        IntExpression expression = new IntBinary(left.Expression, op, right.Expression);
        if (expression.IsConstant) expression = new IntConstant(expression.Evaluate(null!, 0));
        // Keep track of "scalar field OP constant" so comparisons can index it (open.flags & O_CREAT > 0).
        var scalar = left.Scalar is not null && left.Expression is IntScalarField && right.Expression.IsConstant ? left.Scalar : null;
        return new IntOperand(expression, left.Driver ?? right.Driver, left.IsDuration || right.IsDuration, b.Span) { Scalar = scalar };
    }

    private BoundOperand BindComparison(BinarySyntax b, BoundOperand left, BoundOperand right)
    {
        if (left is ErrorOperand || right is ErrorOperand) return new ErrorOperand(b.Span);
        var op = b.Operator;

        // Put the field (or variable) on the left: "value" == field reads as field == "value".
        if (left is not FieldOperand && left is not VariableOperand && right is FieldOperand && op is not (BinaryOperator.In or BinaryOperator.NotIn or BinaryOperator.AllIn))
        {
            (left, right) = (right, left);
            op = op switch
            {
                BinaryOperator.Less => BinaryOperator.Greater,
                BinaryOperator.LessOrEqual => BinaryOperator.GreaterOrEqual,
                BinaryOperator.Greater => BinaryOperator.Less,
                BinaryOperator.GreaterOrEqual => BinaryOperator.LessOrEqual,
                _ => op,
            };
        }

        // "value" in list_field: membership of a literal in a list field is "some element equals it".
        if (op is BinaryOperator.In or BinaryOperator.NotIn && right is FieldOperand { IsMultiValued: true } && left is StringLiteralOperand or PatternOperand or RegexOperand or IntOperand or IpOperand)
        {
            (left, right) = (right, left);
        }

        var type = left switch
        {
            FieldOperand f => f.Field.Type,
            VariableOperand v => v.Type.Type,
            IntOperand => SeclValueType.Int,
            StringLiteralOperand or InterpolatedOperand => SeclValueType.String,
            BoolLiteralOperand or BoolOperand => SeclValueType.Bool,
            IpOperand => SeclValueType.Ip,
            _ => (SeclValueType?)null,
        };
        SeclNode? node = type switch
        {
            SeclValueType.String => CompareStrings(b, left, op, right),
            SeclValueType.Int => CompareInts(b, left, op, right),
            SeclValueType.Bool => CompareBools(b, left, op, right),
            SeclValueType.Ip => CompareIps(b, left, op, right),
            _ => null,
        };
        if (type is null) Error(left.Span, $"`{Text(left.Span)}` cannot be compared");
        return node is null ? new ErrorOperand(b.Span) : new BoolOperand(node, b.Span);
    }

    /// <summary>
    /// Maps an operator to its quantifier over the field's values. As in Datadog's evaluator, a negative
    /// operator negates the whole "any element" test: <c>process.ancestors.file.path != "/x"</c> means
    /// "no ancestor is /x" (the default policy relies on it), and <c>not in</c> means "no element in the set".
    /// </summary>
    private static Quantifier Quantify(BinaryOperator op) => op switch
    {
        BinaryOperator.NotIn or BinaryOperator.NotEqual or BinaryOperator.NotMatch => Quantifier.None,
        BinaryOperator.AllIn => Quantifier.All,
        _ => Quantifier.Any,
    };

    private ImmutableArray<BoundOperand> Elements(BoundOperand right, BinaryOperator op)
    {
        if (op is BinaryOperator.In or BinaryOperator.NotIn or BinaryOperator.AllIn)
        {
            if (right is ArrayOperand array)
            {
                if (array.Items.Length > MaxArrayLength) Error(array.Span, $"array has {array.Items.Length} elements, more than the limit of {MaxArrayLength}");
                return array.Items;
            }
            return [right];
        }
        if (right is ArrayOperand a)
        {
            Error(a.Span, $"operator `{OperatorText(op)}` does not take an array, use `in`");
            return [];
        }
        return [right];
    }

    private static string OperatorText(BinaryOperator op) => op switch
    {
        BinaryOperator.Equal => "==", BinaryOperator.NotEqual => "!=", BinaryOperator.Less => "<", BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">", BinaryOperator.GreaterOrEqual => ">=", BinaryOperator.Match => "=~", BinaryOperator.NotMatch => "!~",
        BinaryOperator.In => "in", BinaryOperator.NotIn => "not in", BinaryOperator.AllIn => "allin", _ => op.ToString(),
    };

    private SeclNode? CompareStrings(BinarySyntax b, BoundOperand left, BinaryOperator op, BoundOperand right)
    {
        if (op is BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual)
        {
            Error(b.Span, $"operator `{OperatorText(op)}` is not defined on strings");
            return null;
        }
        var field = left as FieldOperand;
        var path = field?.Field.IsPath == true;
        var ignoreCase = field?.Field.IsCaseInsensitive == true;
        var comparer = ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var exact = new HashSet<string>(comparer);
        var globs = new List<Glob>();
        var regexes = new List<Regex>();
        var dynamic = new List<StringSource>();
        var errorsBefore = _diagnostics.Count;
        var matchOperator = op is BinaryOperator.Match or BinaryOperator.NotMatch;

        foreach (var item in Elements(right, op))
        {
            switch (item)
            {
                case StringLiteralOperand s when matchOperator && s.Value.Contains('*'):
                    AddGlob(s.Value, s.Span);
                    break;
                case StringLiteralOperand s:
                    exact.Add(s.Value);
                    break;
                case PatternOperand p:
                    AddGlob(p.Pattern, p.Span);
                    break;
                case RegexOperand r when path:
                    Error(r.Span, $"regex is not allowed on path field `{field!.Field.Name}`");
                    break;
                case RegexOperand r:
                    try
                    {
                        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
                        regexes.Add(new Regex(r.Pattern, options, RegexTimeout));
                    }
                    catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
                    {
                        Error(r.Span, $"invalid regex r\"{r.Pattern}\": {ex.Message}");
                    }
                    break;
                case InterpolatedOperand i:
                    dynamic.Add(new InterpolatedStringSource([.. i.Parts]));
                    break;
                case VariableOperand { Type.Type: SeclValueType.String } v:
                    dynamic.Add(new VariableStringSource(v.Name));
                    break;
                case FieldOperand { Field.Type: SeclValueType.String, IsMultiValued: false } f:
                    _ = f;
                    dynamic.Add(new FieldStringSource(f.Field));
                    break;
                case ErrorOperand:
                    break;
                default:
                    Error(item.Span, $"invalid value `{Text(item.Span)}` for string comparison");
                    break;
            }
        }
        if (_diagnostics.Count > errorsBefore) return null;

        var quantifier = Quantify(op);
        var matcher = new StringMatcher(exact.ToFrozenSet(comparer), [.. globs], [.. regexes], [.. dynamic], ignoreCase);
        StringSource? source = left switch
        {
            VariableOperand v => new VariableStringSource(v.Name),
            StringLiteralOperand s => new LiteralStringSource(s.Value),
            InterpolatedOperand i => new InterpolatedStringSource([.. i.Parts]),
            _ => null,
        };
        return Annotate(new StringFieldComparison(field?.Field, source, field?.IteratorId ?? -1, field?.Register ?? -1, quantifier, matcher, b.Span), b.Span);

        void AddGlob(string pattern, TextSpan span)
        {
            if (path && pattern.Contains("***", StringComparison.Ordinal))
            {
                Error(span, $"invalid path pattern ~\"{pattern}\"");
                return;
            }
            var glob = new Glob(pattern, path, ignoreCase);
            if (glob.IsLiteral) exact.Add(pattern);
            else globs.Add(glob);
        }
    }

    private SeclNode? CompareInts(BinarySyntax b, BoundOperand left, BinaryOperator op, BoundOperand right)
    {
        if (op is BinaryOperator.Match or BinaryOperator.NotMatch)
        {
            Error(b.Span, $"operator `{OperatorText(op)}` is not defined on integers");
            return null;
        }
        var leftInt = ToInt(left);
        if (leftInt is null) return null;
        var driver = leftInt.Driver;
        // A single-valued field (alone or masked by a constant) is read by the comparison itself, so the
        // approver index can see which field and value the rule needs.
        if (driver is null && leftInt.Scalar is { } scalar)
        {
            driver = scalar;
            leftInt = leftInt with
            {
                Expression = leftInt.Expression switch
                {
                    IntScalarField => new IntIteratedField(),
                    IntBinary { Left: IntScalarField } masked => new IntBinary(new IntIteratedField(), masked.Operator, masked.Right),
                    var other => other,
                },
            };
        }
        var quantifier = Quantify(op);

        if (op is BinaryOperator.In or BinaryOperator.NotIn or BinaryOperator.AllIn)
        {
            var values = new HashSet<long>();
            foreach (var item in Elements(right, op))
            {
                var value = ToInt(item);
                if (value is null) continue;
                if (!value.Expression.IsConstant) { Error(item.Span, "array elements must be constant integers"); continue; }
                values.Add(value.Expression.Evaluate(null!, 0));
            }
            if (_diagnostics.Count > 0) return null;
            return Annotate(new IntComparison(driver?.Field, driver?.IteratorId ?? -1, driver?.Register ?? -1, quantifier, leftInt.Expression, IntOperator.In, null, values.ToFrozenSet(), b.Span), b.Span);
        }

        var rightInt = ToInt(right);
        if (rightInt is null) return null;
        if (rightInt.Driver is not null)
        {
            Error(right.Span, "the right side of a comparison cannot be a list or iterator field");
            return null;
        }
        var leftExpression = leftInt.Expression;
        // A timestamp compared with a duration means "age of": created_at > 5s is "older than 5 seconds".
        if (rightInt.IsDuration && left is FieldOperand { Field.IsTimestamp: true }) leftExpression = new IntAge(leftExpression);
        var intOp = op switch
        {
            BinaryOperator.Equal => IntOperator.Equal,
            BinaryOperator.NotEqual => IntOperator.Equal, // with Quantifier.None
            BinaryOperator.Less => IntOperator.Less,
            BinaryOperator.LessOrEqual => IntOperator.LessOrEqual,
            BinaryOperator.Greater => IntOperator.Greater,
            _ => IntOperator.GreaterOrEqual,
        };
        return Annotate(new IntComparison(driver?.Field, driver?.IteratorId ?? -1, driver?.Register ?? -1, quantifier, leftExpression, intOp, rightInt.Expression, null, b.Span), b.Span);
    }

    private SeclNode? CompareBools(BinarySyntax b, BoundOperand left, BinaryOperator op, BoundOperand right)
    {
        if (op is not (BinaryOperator.Equal or BinaryOperator.NotEqual))
        {
            Error(b.Span, $"operator `{OperatorText(op)}` is not defined on booleans");
            return null;
        }
        if (right is not BoolLiteralOperand literal)
        {
            var leftNode = AsBool(left);
            var rightNode = AsBool(right);
            if (leftNode is null || rightNode is null) return null;
            return new BoolEqualityNode(leftNode, rightNode, op == BinaryOperator.NotEqual, b.Span);
        }
        var expected = literal.Value != (op == BinaryOperator.NotEqual);
        if (left is FieldOperand f) return Annotate(new BoolComparison(f.Field, f.IteratorId, f.Register, expected, b.Span), b.Span);
        var node = AsBool(left);
        if (node is null) return null;
        return expected ? node : new NotNode(node, b.Span);
    }

    private SeclNode? CompareIps(BinarySyntax b, BoundOperand left, BinaryOperator op, BoundOperand right)
    {
        if (left is not FieldOperand field)
        {
            Error(left.Span, "an IP literal must be compared with an IP field");
            return null;
        }
        if (op is not (BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.In or BinaryOperator.NotIn or BinaryOperator.AllIn))
        {
            Error(b.Span, $"operator `{OperatorText(op)}` is not defined on IP addresses");
            return null;
        }
        var networks = new List<IpNetwork>();
        foreach (var item in Elements(right, op))
        {
            switch (item)
            {
                case IpOperand ip:
                    networks.Add(ip.Value);
                    break;
                case StringLiteralOperand s when IpNetwork.TryParse(s.Value, out var parsed):
                    networks.Add(parsed);
                    break;
                case ErrorOperand:
                    break;
                default:
                    Error(item.Span, $"invalid value `{Text(item.Span)}` for IP comparison");
                    break;
            }
        }
        if (_diagnostics.Count > 0) return null;
        var quantifier = Quantify(op);
        return Annotate(new IpComparison(field.Field, field.IteratorId, field.Register, quantifier, [.. networks], b.Span), b.Span);
    }

    /// <summary>Records the source text of a leaf so a match can be explained even when it came from a macro.</summary>
    private SeclNode Annotate(SeclNode node, TextSpan span)
    {
        node.Expression = Text(span);
        return node;
    }
}
