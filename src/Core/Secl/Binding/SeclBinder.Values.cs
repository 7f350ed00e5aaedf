using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Binding;

public sealed partial class SeclBinder
{
    /// <summary>
    /// Compiles a value expression, as in a <c>set</c> action's <c>expression</c>
    /// (<c>${cgroup.count} + 1</c>, <c>"cgroup_${builtins.uuid4}"</c>, <c>process.file.path</c>).
    /// Returns null and diagnostics when it does not compile.
    /// </summary>
    public static SeclValueExpression? CompileValue(string expression, SeclBindingScope? scope, out IReadOnlyList<SeclDiagnostic> diagnostics)
    {
        var parsed = SeclParser.Parse(expression);
        if (!parsed.Success)
        {
            diagnostics = parsed.Diagnostics;
            return null;
        }
        var binder = new SeclBinder(SeclFieldCatalog.Linux, scope ?? SeclBindingScope.Empty, requireEventType: false);
        binder._sources.Push((parsed.Source, null));
        var operand = binder.Bind(parsed.Root, 0);
        SeclValueExpression? result = operand switch
        {
            IntOperand { Driver: null } i => new SeclValueExpression(SeclValueType.Int, context => i.Expression.Evaluate(context, 0)),
            FieldOperand { Field.Type: SeclValueType.Int, IsMultiValued: false } f =>
                new SeclValueExpression(SeclValueType.Int, context => new IntScalarField(f.Field).Evaluate(context, 0)),
            FieldOperand { Field.Type: SeclValueType.String, IsMultiValued: false } f => new SeclValueExpression(SeclValueType.String, context =>
            {
                new FieldStringSource(f.Field).Get(context, out var single, out _);
                return single ?? "";
            }),
            StringLiteralOperand s => new SeclValueExpression(SeclValueType.String, _ => s.Value),
            InterpolatedOperand s => new SeclValueExpression(SeclValueType.String, context =>
            {
                new InterpolatedStringSource([.. s.Parts]).Get(context, out var single, out _);
                return single!;
            }),
            VariableOperand { Type.IsList: false } v when v.Type.Type == SeclValueType.Int =>
                new SeclValueExpression(SeclValueType.Int, context => context.Variables.GetInt(context, v.Name)),
            VariableOperand { Type.IsList: false } v when v.Type.Type == SeclValueType.String => new SeclValueExpression(SeclValueType.String, context =>
            {
                context.Variables.GetStrings(context, v.Name, out var single, out _);
                return single ?? "";
            }),
            BoolLiteralOperand b => new SeclValueExpression(SeclValueType.Bool, _ => b.Value),
            _ => null,
        };
        if (result is null && binder._diagnostics.Count == 0) binder.Error(parsed.Root.Span, "expression is not a single integer, string or boolean value");
        diagnostics = binder._diagnostics;
        return binder._diagnostics.Count == 0 ? result : null;
    }
}

/// <summary>A compiled value (for <c>set</c> actions): its type and how to compute it for the current event.</summary>
public sealed class SeclValueExpression
{
    private readonly Func<SeclContext, object> _evaluate;

    internal SeclValueExpression(SeclValueType type, Func<SeclContext, object> evaluate)
    {
        Type = type;
        _evaluate = evaluate;
    }

    public SeclValueType Type { get; }

    public object Evaluate(SeclContext context) => _evaluate(context);
}
