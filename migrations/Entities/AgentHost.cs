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
    /// <summary>Remote configuration: the policy version the agent runs (null: none reported).</summary>
    public int? PolicyVersion { get; set; }
    public string? PolicySha256 { get; set; }
    /// <summary>Per-rule load errors of the running policy (JSON array of {rule_id, message}).</summary>
    public string? PolicyLoadErrorsJson { get; set; }
    /// <summary>Why the agent refused the last policy it was offered (tampered, unsigned, not compiling); null when it took it.</summary>
    public string? PolicyRefusal { get; set; }
    public DateTime? PolicyReportedAt { get; set; }
}
