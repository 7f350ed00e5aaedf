namespace Vigil.Core.Secl.Policy;

// YAML shape of a Datadog .policy file (see reference §2). Mutable classes: YamlDotNet fills them.

public sealed class PolicyDocument
{
    public string? Version { get; set; }
    public string? Type { get; set; }
    public string? ReplacePolicyId { get; set; }
    public List<MacroDefinition>? Macros { get; set; }
    public List<RuleDefinition>? Rules { get; set; }
}

public sealed class MacroDefinition
{
    public string? Id { get; set; }
    public string? Expression { get; set; }
    public List<string>? Values { get; set; }
    public string? Description { get; set; }
    public string? AgentVersion { get; set; }
    public List<string>? Filters { get; set; }
    public string? Combine { get; set; }
}

public sealed class RuleDefinition
{
    public string? Id { get; set; }
    public string? Version { get; set; }
    public string? Expression { get; set; }
    public string? Description { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
    public List<string>? ProductTags { get; set; }
    public bool? Disabled { get; set; }
    public List<string>? Filters { get; set; }
    public string? AgentVersion { get; set; }
    public string? Combine { get; set; }
    public OverrideOptions? OverrideOptions { get; set; }
    public List<ActionDefinition>? Actions { get; set; }
    public string? Every { get; set; }
    public List<string>? LimiterToken { get; set; }
    public bool? Silent { get; set; }
    public string? GroupId { get; set; }
    public int? Priority { get; set; }
}

public sealed class OverrideOptions
{
    public List<string>? Fields { get; set; }
}

public sealed class ActionDefinition
{
    public string? Filter { get; set; }
    public SetAction? Set { get; set; }
    public KillAction? Kill { get; set; }
    /// <summary>Vigil extension: deny the exec before it runs (<c>block: {}</c>).</summary>
    public BlockAction? Block { get; set; }
    public HashAction? Hash { get; set; }
    public LogAction? Log { get; set; }
    public Dictionary<string, object>? Coredump { get; set; }
    public Dictionary<string, object>? NetworkFilter { get; set; }
}

public sealed class SetAction
{
    public string? Name { get; set; }
    public object? Value { get; set; }
    public string? Field { get; set; }
    public string? Expression { get; set; }
    public object? DefaultValue { get; set; }
    public string? Scope { get; set; }
    public string? ScopeField { get; set; }
    public bool? Append { get; set; }
    public int? Size { get; set; }
    public string? Ttl { get; set; }
    public bool? Inherited { get; set; }
    public bool? Private { get; set; }
}

public sealed class KillAction
{
    public string? Signal { get; set; }
    public string? Scope { get; set; }
    public bool? DisableContainerDisarmer { get; set; }
    public bool? DisableExecutableDisarmer { get; set; }
}

/// <summary>Vigil's <c>block</c> action (no parameters yet): deny an exec before the binary is loaded.</summary>
public sealed class BlockAction;

public sealed class HashAction
{
    public string? Field { get; set; }
    public long? MaxFileSize { get; set; }
}

public sealed class LogAction
{
    public string? Level { get; set; }
    public string? Message { get; set; }
}
