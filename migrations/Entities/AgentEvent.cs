namespace Vigil.Data.Entities;

/// <summary>One agent event as posted (Datadog agent-event JSON), with the attributes queries need as columns.</summary>
public sealed class AgentEvent : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string BatchId { get; set; }
    public required string Hostname { get; set; }
    public required string RuleId { get; set; }
    public string? EventType { get; set; }
    public required string Title { get; set; }
    public DateTime Timestamp { get; set; }
    public DateTime ReceivedAt { get; set; }
    public required string Json { get; set; }
}
