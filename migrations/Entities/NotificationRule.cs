namespace Vigil.Data.Entities;

/// <summary>
/// Routes signals to channels (Datadog's notification rules): every condition that is set must hold.
/// List conditions are JSON arrays; an empty list means "any".
/// </summary>
public sealed class NotificationRule : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>The lowest severity that matches (info … critical).</summary>
    public required string MinSeverity { get; set; }
    /// <summary>Detection methods (threshold, new_value, sequence) as a JSON array.</summary>
    public string RuleTypesJson { get; set; } = "[]";
    /// <summary>Detection rule ids as a JSON array.</summary>
    public string RuleIdsJson { get; set; } = "[]";
    /// <summary>Tags (<c>tactic:TA0002</c>) as a JSON array; any one present matches.</summary>
    public string TagsJson { get; set; } = "[]";
    /// <summary>The host's <c>env</c> tag must equal this, when set.</summary>
    public string? Environment { get; set; }
    /// <summary>A signal query in the search syntax, when set.</summary>
    public string? Query { get; set; }
    /// <summary>Target channel ids as a JSON array.</summary>
    public string ChannelIdsJson { get; set; } = "[]";
    /// <summary>Notify again when an open signal's severity rises (Datadog's escalation via later cases).</summary>
    public bool RenotifyOnSeverityIncrease { get; set; } = true;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}
