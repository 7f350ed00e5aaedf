namespace Vigil.Data.Entities;

/// <summary>Links a signal to one of the agent events that raised or updated it (the first 100 are kept).</summary>
public sealed class SignalEvent : IOrgOwned
{
    public Guid OrganizationId { get; set; }
    public Guid SignalId { get; set; }
    public Guid EventId { get; set; }
    public DateTime Timestamp { get; set; }
}
