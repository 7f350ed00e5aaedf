namespace Vigil.Data.Entities;

/// <summary>
/// One notification of one signal update through one channel, and how its delivery went. The unique
/// (org, channel, signal, dedup key) makes enqueuing idempotent: a redelivered bus message or a second
/// Api instance cannot notify twice.
/// </summary>
public sealed class NotificationDelivery : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ChannelId { get; set; }
    /// <summary>Null for a channel's test notification.</summary>
    public Guid? SignalId { get; set; }
    /// <summary>trigger, resolve or test.</summary>
    public required string Kind { get; set; }
    /// <summary>trigger:&lt;severity&gt;, resolve, or test:&lt;id&gt;.</summary>
    public required string DedupKey { get; set; }
    /// <summary>The severity notified (triggers).</summary>
    public string? Severity { get; set; }
    /// <summary>What routed it: a notification rule's id, or a handle in the rule message.</summary>
    public string? Reason { get; set; }
    /// <summary>pending, sending, retrying, delivered or failed.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public int? ResponseCode { get; set; }
    /// <summary>When the next attempt is due (retrying) or the send lease ends (sending).</summary>
    public DateTime? NextAttemptAt { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? DeliveredAt { get; set; }
}
