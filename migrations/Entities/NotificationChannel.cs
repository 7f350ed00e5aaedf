namespace Vigil.Data.Entities;

/// <summary>
/// Where notifications go: a Slack webhook, an SMTP mailbox, a PagerDuty service or a generic webhook.
/// <see cref="SettingsJson"/> holds what may be shown (SMTP host, webhook method, templates);
/// <see cref="ProtectedSecrets"/> holds what may not (webhook URLs, passwords, routing keys, signing
/// secrets), encrypted with ASP.NET Data Protection and never returned by the API.
/// </summary>
public sealed class NotificationChannel : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    /// <summary>slack, email, pagerduty or webhook.</summary>
    public required string Type { get; set; }
    /// <summary>Unique per org and type; the handle <c>@{type}-{name}</c> names the channel in rule messages.</summary>
    public required string Name { get; set; }
    public required string SettingsJson { get; set; }
    public required string ProtectedSecrets { get; set; }
    /// <summary>A short non-secret reminder of the target (e.g. the URL's host), for lists.</summary>
    public string? TargetHint { get; set; }
    /// <summary>Markdown template of the message (Handlebars); null: the channel type's default.</summary>
    public string? MessageTemplate { get; set; }
    /// <summary>At most this many notifications per minute leave through the channel (per Api instance).</summary>
    public int RateLimitPerMinute { get; set; } = 60;
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}
