namespace Vigil.Data.Entities;

/// <summary>A host whose agent has reported to this org (inventory, kept by heartbeats and batches).</summary>
public sealed class AgentHost : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Hostname { get; set; }
    public string? AgentVersion { get; set; }
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }
}
