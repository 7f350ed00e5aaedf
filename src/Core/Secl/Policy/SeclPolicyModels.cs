using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Policy;

/// <summary>Where policies come from, in Datadog's provider vocabulary.</summary>
public static class SeclPolicySources
{
    public const string RemoteConfig = "remote-config";
    public const string File = "file";
    public const string Bundled = "bundled";
}

/// <summary>One policy file to load: its name (e.g. <c>default.policy</c>), provider and YAML text.</summary>
public sealed record SeclPolicySource(string Name, string Source, string Content);

/// <summary>What the loading agent declares about itself.</summary>
public sealed record SeclAgentOptions
{
    /// <summary>The Datadog agent version this agent is compatible with (checked against <c>agent_version</c>).</summary>
    public Version AgentVersion { get; init; } = new(7, 71, 0);

    public SeclHostInfo Host { get; init; } = new();

    /// <summary>Event types turned off in the agent configuration.</summary>
    public IReadOnlySet<string> DisabledEventTypes { get; init; } = new HashSet<string>();

    /// <summary>When false, rules with kill actions are rejected (Datadog's enforcement gate).</summary>
    public bool EnforcementEnabled { get; init; } = true;
}

/// <summary>
/// Per-rule outcome, as a <c>ruleset_loaded</c> event would list it. <c>Diagnostics</c>: every error of an expression
/// that did not compile, with spans into <c>Expression</c> (editors mark them; <c>Message</c> names only the first).
/// </summary>
public sealed record SeclRuleReport(string Id, string? Version, string PolicyName, string Expression, SeclRuleStatus Status, string? Message, string? EventType,
    IReadOnlyList<SeclDiagnostic>? Diagnostics = null)
{
    /// <summary>Datadog-style line, e.g. <c>rule `x` error: syntax error: 1:4: ...</c>.</summary>
    public override string ToString() => Message is null ? $"rule `{Id}` {Status.ToDatadogName()}" : $"rule `{Id}` {Status.ToDatadogName()}: {Message}";
}

public sealed record SeclMacroReport(string Id, string PolicyName, SeclRuleStatus Status, string? Message);

public sealed record SeclPolicyReport(string Name, string Source, string? Version, string? Error, int RuleCount, int MacroCount);

/// <summary>Everything a load produced: per-policy and per-rule outcomes and the rule set of loaded rules.</summary>
public sealed record SeclLoadResult(
    IReadOnlyList<SeclPolicyReport> Policies,
    IReadOnlyList<SeclMacroReport> Macros,
    IReadOnlyList<SeclRuleReport> Rules,
    SeclRuleSet RuleSet)
{
    /// <summary>Error lines (policy, macro and rule errors; filtered-out and disabled rules are not errors).</summary>
    public IEnumerable<string> Errors =>
        Policies.Where(p => p.Error is not null).Select(p => $"error loading policy `{p.Name}` from source `{p.Source}`: {p.Error}")
            .Concat(Macros.Where(m => m.Status is SeclRuleStatus.Error or SeclRuleStatus.SyntaxError).Select(m => $"macro `{m.Id}` definition error: {m.Message}"))
            .Concat(Rules.Where(r => r.Status is SeclRuleStatus.Error or SeclRuleStatus.SyntaxError).Select(r => $"rule `{r.Id}` error: {r.Message}"));
}
