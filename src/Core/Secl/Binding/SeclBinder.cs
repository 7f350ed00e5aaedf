using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Binding;

/// <summary>
/// Resolves names (fields, macros, constants, variables, registers), checks types, infers the event
/// type and compiles the tree into evaluator nodes. Collects every error with its position.
/// </summary>
public sealed partial class SeclBinder
{
    private const int MaxMacroDepth = 32;

    private static readonly SeclVariableType IntVariable = new(SeclValueType.Int, false);
    private static readonly SeclVariableType StringVariable = new(SeclValueType.String, false);

    private readonly SeclFieldCatalog _catalog;
    private readonly SeclBindingScope _scope;
    private readonly bool _requireEventType;
    private readonly List<SeclDiagnostic> _diagnostics = [];
    private readonly List<(SeclField Field, TextSpan Span)> _fields = [];
    private readonly HashSet<string> _bareEventTypes = [];
    private readonly List<(string Name, int Iterator)> _registers = [];
    private readonly Stack<(string Source, string? Macro)> _sources = new();
    private TextSpan _macroReference;

    private SeclBinder(SeclFieldCatalog catalog, SeclBindingScope scope, bool requireEventType)
    {
        _catalog = catalog;
        _scope = scope;
        _requireEventType = requireEventType;
    }

    /// <summary>Parses and compiles a rule expression. Never throws on bad input.</summary>
    public static SeclCompiledExpression Compile(string expression, SeclBindingScope? scope = null, SeclFieldCatalog? catalog = null, bool requireEventType = true)
    {
        var parsed = SeclParser.Parse(expression);
        if (!parsed.Success) return new SeclCompiledExpression(expression, null, null, parsed.Diagnostics, null, []);
        var binder = new SeclBinder(catalog ?? SeclFieldCatalog.Linux, scope ?? SeclBindingScope.Empty, requireEventType);
        return binder.BindRoot(parsed);
    }

    private string Source => _sources.Peek().Source;

    private SeclCompiledExpression BindRoot(ParseResult parsed)
    {
        _sources.Push((parsed.Source, null));
        var operand = Bind(parsed.Root, 0);
        var root = AsBool(operand);
        var eventType = InferEventType(parsed.Root.Span);
        if (_registers.Count > 0 && root is not null)
            root = new RegisterLoopNode(root, [.. _registers.Select(r => r.Iterator)], parsed.Root.Span);

        if (_diagnostics.Count > 0) return new SeclCompiledExpression(parsed.Source, eventType, null, [.. _diagnostics], null, []);
        var approver = root is null ? null : ApproverFinder.Find(root);
        return new SeclCompiledExpression(parsed.Source, eventType, root, [], approver, [.. _fields.Select(f => f.Field).Distinct()]);
    }

    private void Error(TextSpan span, string message)
    {
        var (_, macro) = _sources.Peek();
        var text = macro is null ? message : $"{message} (in macro `{macro}`)";
        // Inside a macro, point at the macro's use in the rule: that is the text the user can see.
        var position = macro is null ? span : _macroReference;
        _diagnostics.Add(SeclDiagnostic.Create(SeclDiagnosticKind.Compilation, text, position, _sources.Last().Source));
    }

    private string? InferEventType(TextSpan rootSpan)
    {
        if (!_requireEventType) return null;
        HashSet<string>? candidates = _bareEventTypes.Count > 0 ? [.. _bareEventTypes] : null;
        foreach (var (field, span) in _fields)
        {
            if (field.IsContext) continue;
            if (candidates is null) { candidates = [.. field.EventTypes]; continue; }
            var remaining = candidates.Intersect(field.EventTypes).ToHashSet();
            if (remaining.Count == 0)
            {
                Error(span, $"field `{field.Name}` not available for event type `{candidates.Order(StringComparer.Ordinal).First()}`, available for `[{string.Join(" ", field.EventTypes)}]`");
                return null;
            }
            candidates = remaining;
        }
        if (candidates is null || candidates.Count == 0)
        {
            if (_diagnostics.Count == 0) Error(rootSpan, "no event in the rule definition");
            return null;
        }
        // network.* alone is valid for dns, imds and packet: prefer the first in catalogue order.
        return candidates.Order(StringComparer.Ordinal).First();
    }

    private SeclNode? AsBool(BoundOperand operand)
    {
        switch (operand)
        {
            case BoolOperand b:
                return b.Node;
            case BoolLiteralOperand literal:
                return new ConstantNode(literal.Value, literal.Span);
            case FieldOperand { Field.Type: SeclValueType.Bool } field when !field.Field.IsList:
                return new BoolComparison(field.Field, field.IteratorId, field.Register, true, field.Span);
            case VariableOperand { Type: { Type: SeclValueType.Bool, IsList: false } } variable:
                return new BoolVariableNode(variable.Name, variable.Span);
            case ErrorOperand:
                return null;
            default:
                Error(operand.Span, $"expression `{Text(operand.Span)}` is not a boolean");
                return null;
        }
    }

    private string Text(TextSpan span) => span.End <= Source.Length ? Source.Substring(span.Start, span.Length) : "";

    private BoundOperand Bind(SyntaxNode node, int macroDepth)
    {
        switch (node)
        {
            case ParenthesizedSyntax p:
                return Bind(p.Inner, macroDepth);
            case BinarySyntax b when b.Operator is BinaryOperator.And or BinaryOperator.Or:
                {
                    var left = AsBool(Bind(b.Left, macroDepth));
                    var right = AsBool(Bind(b.Right, macroDepth));
                    if (left is null || right is null) return new ErrorOperand(b.Span);
                    return new BoolOperand(b.Operator == BinaryOperator.And ? new AndNode(left, right, b.Span) : new OrNode(left, right, b.Span), b.Span);
                }
            case BinarySyntax b when b.Operator is BinaryOperator.BitAnd or BinaryOperator.BitOr or BinaryOperator.BitXor or BinaryOperator.Add or BinaryOperator.Subtract:
                return BindArithmetic(b, macroDepth);
            case BinarySyntax b:
                return BindComparison(b, Bind(b.Left, macroDepth), Bind(b.Right, macroDepth));
            case UnarySyntax { Operator: UnaryOperator.Not } u:
                {
                    var operand = AsBool(Bind(u.Operand, macroDepth));
                    return operand is null ? new ErrorOperand(u.Span) : new BoolOperand(new NotNode(operand, u.Span), u.Span);
                }
            case UnarySyntax u:
                {
                    var operand = ToInt(Bind(u.Operand, macroDepth));
                    return operand is null
                        ? new ErrorOperand(u.Span)
                        : operand with { Expression = new IntUnary(operand.Expression, u.Operator == UnaryOperator.BitNot), Span = u.Span };
                }
            case IdentifierSyntax id:
                return BindIdentifier(id, macroDepth);
            case StringSyntax s:
                return s.IsInterpolated ? BindInterpolated(s) : new StringLiteralOperand(s.Value, s.Span);
            case PatternSyntax p:
                return new PatternOperand(p.Pattern, p.Span);
            case RegexSyntax r:
                return new RegexOperand(r.Pattern, r.Span);
            case IntegerSyntax i:
                return new IntOperand(new IntConstant(i.Value), null, false, i.Span);
            case DurationSyntax d:
                return new IntOperand(new IntConstant(d.Nanoseconds), null, true, d.Span);
            case IpSyntax ip:
                return new IpOperand(ip.Value, ip.Span);
            case VariableSyntax v:
                return BindVariable(v.Name, v.Span);
            case ArraySyntax a:
                return new ArrayOperand([.. a.Items.Select(item => Bind(item, macroDepth))], a.Span);
            default:
                return new ErrorOperand(node.Span);
        }
    }

    private BoundOperand BindInterpolated(StringSyntax s)
    {
        foreach (var part in s.Parts.Where(p => p.IsVariable))
        {
            if (BindVariable(part.Text, s.Span) is ErrorOperand) return new ErrorOperand(s.Span);
        }
        return new InterpolatedOperand(s.Parts, s.Span);
    }

    private BoundOperand BindVariable(string name, TextSpan span)
    {
        switch (name)
        {
            case "process.pid":
                return new VariableOperand(name, IntVariable, span);
            case "builtins.uuid4":
                return new VariableOperand(name, StringVariable, span);
        }
        if (_scope.Variables.TryGetValue(name, out var type)) return new VariableOperand(name, type, span);
        Error(span, $"variable `{name}` not found");
        return new ErrorOperand(span);
    }

    private BoundOperand BindIdentifier(IdentifierSyntax id, int macroDepth)
    {
        var name = id.Name;
        if (_catalog.TryGetField(name, out var field)) return BindField(field, id);
        if (id.Register is not null)
        {
            Error(id.Span, $"field `{name}` not found");
            return new ErrorOperand(id.Span);
        }
        if (_scope.Macros.TryGetValue(name, out var macro)) return BindMacro(macro, id, macroDepth);
        if (name is "true" or "false") return new BoolLiteralOperand(name == "true", id.Span);
        if (SeclConstants.TryGet(name, null, out var value)) return new IntOperand(new ConstantReference(name, value), null, false, id.Span);
        if (_requireEventType && _catalog.EventTypes.ContainsKey(name))
        {
            _bareEventTypes.Add(name);
            return new BoolLiteralOperand(true, id.Span);
        }
        Error(id.Span, name.Contains('.') ? $"field `{name}` not found" : $"unknown identifier `{name}` (not a field, macro or constant)");
        return new ErrorOperand(id.Span);
    }

    private BoundOperand BindField(SeclField field, IdentifierSyntax id)
    {
        _fields.Add((field, _sources.Count > 1 ? _macroReference : id.Span));
        var iteratorId = field.Iterator is null ? -1 : _catalog.GetIteratorId(field.Iterator);
        var register = -1;
        if (id.Register is not null)
        {
            if (field.Iterator is null)
            {
                Error(id.Span, $"register `{id.Register}` used on `{field.Name}`, which is not an iterator field");
                return new ErrorOperand(id.Span);
            }
            register = _registers.FindIndex(r => r.Name == id.Register);
            if (register >= 0 && _registers[register].Iterator != iteratorId)
            {
                Error(id.Span, $"register `{id.Register}` is already bound to another iterator");
                return new ErrorOperand(id.Span);
            }
            if (register < 0)
            {
                if (_registers.Count == SeclContext.MaxRegisters)
                {
                    Error(id.Span, $"too many registers (limit {SeclContext.MaxRegisters})");
                    return new ErrorOperand(id.Span);
                }
                register = _registers.Count;
                _registers.Add((id.Register, iteratorId));
            }
        }
        return new FieldOperand(field, iteratorId, register, id.Span);
    }

    private static BoundOperand Rebase(BoundOperand operand, TextSpan span) => operand with { Span = span };

    private BoundOperand BindMacro(SeclMacro macro, IdentifierSyntax id, int macroDepth)
    {
        if (macroDepth >= MaxMacroDepth || _sources.Any(s => s.Macro == macro.Id))
        {
            Error(id.Span, $"macro `{macro.Id}` is recursive or nested too deeply");
            return new ErrorOperand(id.Span);
        }
        if (!macro.Parsed.Success)
        {
            Error(id.Span, $"macro `{macro.Id}` has a syntax error: {macro.Parsed.Diagnostics[0]}");
            return new ErrorOperand(id.Span);
        }
        if (_sources.Count == 1) _macroReference = id.Span;
        _sources.Push((macro.Parsed.Source, macro.Id));
        var errorsBefore = _diagnostics.Count;
        var bound = Bind(macro.Parsed.Root, macroDepth + 1);
        _sources.Pop();
        if (_diagnostics.Count > errorsBefore) return new ErrorOperand(id.Span);
        // Field spans inside a macro point into the macro; the result is attributed to the reference.
        return Rebase(bound, id.Span);
    }
}


/// <summary>A named constant (kept for explanations and for group-specific re-resolution).</summary>
internal sealed class ConstantReference(string name, long value) : IntExpression
{
    public string Name { get; } = name;
    public long Value { get; } = value;
    public override bool IsConstant => true;
    public override long Evaluate(SeclContext context, long current) => Value;
}
