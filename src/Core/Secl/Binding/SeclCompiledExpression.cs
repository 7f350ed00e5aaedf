using System.Collections.Immutable;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Binding;

/// <summary>
/// Values a rule requires of one field (Datadog's "approvers"): the rule can only match an event
/// whose field holds one of them, so the evaluator indexes rules by them.
/// </summary>
public sealed record SeclApprover(SeclField Field, IReadOnlySet<string>? Strings, IReadOnlySet<long>? Ints);

/// <summary>A bound, compiled expression: inferred event type, evaluator root, diagnostics, approvers.</summary>
public sealed record SeclCompiledExpression(
    string Source,
    string? EventType,
    SeclNode? Root,
    ImmutableArray<SeclDiagnostic> Diagnostics,
    SeclApprover? Approver,
    ImmutableArray<SeclField> Fields)
{
    public bool Success => Diagnostics.IsEmpty && Root is not null;

    /// <summary>Evaluates against one event (convenience for tools and tests; rule sets reuse a context).</summary>
    public bool Evaluate(SeclEvent evt, SeclContext? context = null, TimeProvider? clock = null)
    {
        if (Root is null) throw new InvalidOperationException("the expression did not compile: " + string.Join("; ", Diagnostics));
        context ??= new SeclContext();
        context.Reset(evt, clock ?? TimeProvider.System);
        return Root.Evaluate(context);
    }
}
