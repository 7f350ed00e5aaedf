namespace Vigil.Data.Entities;

/// <summary>
/// A rule's memory of one group (serialized <c>RuleGroupState</c>). Written in the same transaction as the
/// events that changed it; its version makes two consumers updating one group at once impossible (one
/// fails, retries, and sees the other's result).
/// </summary>
public sealed class DetectionState : IOrgOwned
{
    public Guid OrganizationId { get; set; }
    public Guid RuleId { get; set; }
    public required string GroupKey { get; set; }
    public required string StateJson { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedAt { get; set; }
}
