namespace Vigil.Data.Entities;

/// <summary>
/// An agent rule (SECL) of an organization: an out-of-the-box rule seeded from the content catalogue, or a
/// custom one (written in the API or cloned from an out-of-the-box rule). <see cref="DefinitionYaml"/> is the
/// rule's mapping in Datadog's policy format; the effective policy is built from the enabled rows.
/// </summary>
public sealed class AgentRule : IOrgOwned
{
    public const string OutOfTheBox = "ootb";
    public const string Custom = "custom";

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    /// <summary>The SECL rule id (<c>agent.rule_id</c> on events), unique per organization.</summary>
    public required string RuleId { get; set; }
    /// <summary><see cref="OutOfTheBox"/> or <see cref="Custom"/>.</summary>
    public required string Source { get; set; }
    public required string Description { get; set; }
    public required string DefinitionYaml { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>Content says Active Protection may turn this rule into a blocking one.</summary>
    public bool BlockingCapable { get; set; }
    /// <summary>Blocking: the effective policy adds a <c>kill</c> action (SIGKILL, process scope).</summary>
    public bool Blocking { get; set; }
    /// <summary>Host tags that must all be present on an agent for the rule to load there (JSON array); null: everywhere.</summary>
    public string? HostTagsJson { get; set; }
    /// <summary>For a clone: the out-of-the-box rule it was copied from.</summary>
    public string? ClonedFrom { get; set; }
    /// <summary>For an out-of-the-box rule: the content release it was last updated from.</summary>
    public string? ContentVersion { get; set; }
    /// <summary>Incremented on every change (optimistic concurrency).</summary>
    public int Version { get; set; } = 1;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}
