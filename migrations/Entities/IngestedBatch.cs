namespace Vigil.Data.Entities;

/// <summary>Marks a batch id as stored, so a retried batch is not stored twice. Key: (org, batch id).</summary>
public sealed class IngestedBatch : IOrgOwned
{
    public Guid OrganizationId { get; set; }
    public required string BatchId { get; set; }
    public required string Hostname { get; set; }
    public int EventCount { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DateTime StoredAt { get; set; } = DateTime.UtcNow;
}
