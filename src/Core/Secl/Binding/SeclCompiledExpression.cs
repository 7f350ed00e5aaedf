using System.Collections.Immutable;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Binding;

public enum SeclApproverKind
{
    /// <summary>The field equals one of the values.</summary>
    Exact,
    /// <summary>A path field's first segment (<c>etc</c> in <c>/etc/passwd</c>) is one of the values.</summary>
    PathPrefix,
    /// <summary>The field has at least one bit of <see cref="SeclApproverTerm.Mask"/> set.</summary>
    BitMask,
}

/// <summary>One condition on one field that a rule requires.</summary>
public sealed record SeclApproverTerm(SeclField Field, SeclApproverKind Kind, IReadOnlySet<string>? Strings, IReadOnlySet<long>? Ints, long Mask = 0);

/// <summary>
/// What a rule requires of an event (Datadog's "approvers"): the rule can only match when at least
/// one term holds, so the evaluator indexes rules by them and skips the rest.
/// </summary>
public sealed record SeclApprover(IReadOnlyList<SeclApproverTerm> Terms);

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
