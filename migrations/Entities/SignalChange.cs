namespace Vigil.Data.Entities;

/// <summary>One entry of a signal's history: who changed what, when, from which value to which.</summary>
public sealed class SignalChange : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid SignalId { get; set; }
    public Guid? ActorUserId { get; set; }
    public required string ActorName { get; set; }
    /// <summary>What changed: state, assignee, archive_reason, comment.</summary>
    public required string Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public DateTime At { get; set; } = DateTime.UtcNow;
}
