using System.Collections.Immutable;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Binding;

public enum SeclApproverKind
{
    /// <summary>The field equals one of the values.</summary>
    Exact,
    /// <summary>A path field lies in (or is) one of the directories of <see cref="SeclApproverTerm.Prefixes"/>.</summary>
    PathPrefix,
    /// <summary>The field has at least one bit of <see cref="SeclApproverTerm.Mask"/> set.</summary>
    BitMask,
    /// <summary>The field starts with one of the strings (a glob such as <c>~"python*"</c>).</summary>
    StringPrefix,
    /// <summary>The field ends with one of the strings (a glob such as <c>~"*.minexmr.com"</c>).</summary>
    StringSuffix,
    /// <summary>
    /// An element of the list field contains one of the strings: rules on the argument fields derived
    /// from argv (args, args_flags, args_options) are found through argv itself.
    /// </summary>
    Contains,
}

/// <summary>One condition on one field that a rule requires.</summary>
public sealed record SeclApproverTerm(SeclField Field, SeclApproverKind Kind, IReadOnlySet<string>? Strings, IReadOnlySet<long>? Ints, long Mask = 0)
{
    public IReadOnlyList<SeclPathPrefix> Prefixes { get; init; } = [];

    /// <summary>For <see cref="SeclApproverKind.Contains"/>: the strings are searched ignoring case.</summary>
    public bool IgnoreCase { get; init; }
}

/// <summary>
/// A literal directory a path must be in (or equal), and the literal start of the name that follows it:
/// <c>~"/usr/bin/apt*"</c> is (<c>/usr/bin</c>, <c>apt</c>), <c>~"/etc/pam.d/**"</c> is (<c>/etc/pam.d</c>, "").
/// </summary>
public readonly record struct SeclPathPrefix(string Directory, string NamePrefix)
{
    /// <summary>The whole path must equal <see cref="Directory"/> (an exact value, not a glob).</summary>
    public bool IsWholePath { get; init; }

    /// <summary>The glob the prefix was taken from: checked on the path before the rule is tested (none for <c>/dir/**</c>, which holds for all the index offers it).</summary>
    public Glob? Pattern { get; init; }
}

/// <summary>
/// What a rule requires of an event (Datadog's "approvers"): the rule can only match when at least
/// one term holds, so the evaluator indexes rules by them and skips the rest.
/// </summary>
public sealed record SeclApprover(IReadOnlyList<SeclApproverTerm> Terms)
{
    /// <summary>
    /// Bit-mask conditions (<c>open.flags &amp; O_CREAT &gt; 0</c>) the rule requires besides its terms: the
    /// evaluator checks them on a candidate found through the terms before it evaluates the expression.
    /// </summary>
    public IReadOnlyList<SeclApproverTerm> Guards { get; init; } = [];
}

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
