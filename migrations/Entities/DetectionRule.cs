namespace Vigil.Data.Entities;

/// <summary>A detection rule of an organization; its definition is the JSON of <c>DetectionRuleDefinition</c>.</summary>
public sealed class DetectionRule : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    public required string Method { get; set; }
    public bool Enabled { get; set; } = true;
    public required string DefinitionJson { get; set; }
    /// <summary>Incremented on every change; signals record the version that raised them.</summary>
    public int Version { get; set; } = 1;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
    /// <summary>Out-of-the-box rule: its content id (the Id is then <c>ContentCatalog.StableRuleId</c> of it, the same in every org).</summary>
    public string? ContentId { get; set; }
    /// <summary>Out-of-the-box rule: the content release it was last updated from.</summary>
    public string? ContentVersion { get; set; }
    /// <summary>A clone: the content id of the out-of-the-box rule it was copied from.</summary>
    public string? ClonedFrom { get; set; }
}
