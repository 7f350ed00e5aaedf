namespace Vigil.Core.Contracts.Api;

/// <summary>
/// An agent rule of the organization. <c>Source</c> is <c>ootb</c> (from the catalogue: enable, disable, clone)
/// or <c>custom</c>. <c>Protection</c> is set only on blocking-capable rules: <c>disabled</c>, <c>monitoring</c>
/// or <c>blocking</c>. <c>Definition</c> is the rule in Datadog's policy YAML, as agents receive it.
/// </summary>
public sealed record AgentRuleDto(
    Guid Id, string RuleId, string Source, string Description, string Expression, bool Enabled, string? Protection,
    IReadOnlyList<string> HostTags, string? ClonedFrom, string? ContentVersion, int Version, string Definition, DateTimeOffset UpdatedAt);

/// <summary>A new custom rule. <c>HostTags</c>: it loads only on agents carrying all of them (none: everywhere).</summary>
public sealed record AgentRuleRequest(
    string Id, string Expression, string? Description = null, IReadOnlyDictionary<string, string>? Tags = null,
    IReadOnlyList<string>? ProductTags = null, IReadOnlyList<string>? HostTags = null, bool Enabled = true);

/// <summary>Changes to a custom rule; what is null stays. <c>Version</c> (if given) must be the current one.</summary>
public sealed record AgentRuleUpdateRequest(string? Expression = null, string? Description = null, IReadOnlyList<string>? HostTags = null, int? Version = null);

/// <summary>Clone a rule into a custom one with this id.</summary>
public sealed record CloneRuleRequest(string Id);

/// <summary>Active Protection mode of a blocking-capable rule: disabled, monitoring or blocking.</summary>
public sealed record ProtectionModeRequest(string Mode);

/// <summary>A published version of the organization's effective agent policy.</summary>
public sealed record PolicyRevisionDto(int Version, string Sha256, DateTimeOffset CreatedAt, int RuleCount, string? PublishedBy);

/// <summary>An agent rule after a change, with the policy version that carries the change to agents.</summary>
public sealed record AgentRuleChangeDto(AgentRuleDto Rule, PolicyRevisionDto Policy);

/// <summary>A SECL expression to check while it is typed: compiled as a custom rule would be on save; nothing is stored.</summary>
public sealed record AgentRuleValidationRequest(string Expression);

/// <summary>
/// One error of a SECL expression. <c>Line</c> and <c>Column</c> are 1-based; <c>Offset</c> (0-based) and <c>Length</c>
/// give the span in the expression (length 0: a point, such as the end of the text). All null when the error has no position.
/// </summary>
public sealed record SeclErrorDto(string Message, int? Line = null, int? Column = null, int? Offset = null, int? Length = null);

/// <summary>What the compiler said about an expression: valid, or every error with its position.</summary>
public sealed record AgentRuleValidationDto(bool Valid, IReadOnlyList<SeclErrorDto> Errors);
