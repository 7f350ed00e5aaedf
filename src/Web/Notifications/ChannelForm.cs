using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Notifications;

/// <summary>
/// What the channel form edits. Secrets (webhook URLs, routing keys, passwords, headers, signing secrets) are
/// write-only: they start empty, and an empty secret on an existing channel is sent as null, which tells
/// the Api to keep the stored one.
/// </summary>
public sealed class ChannelForm
{
    public static readonly IReadOnlyList<string> Types = ["slack", "email", "pagerduty", "webhook"];
    public static readonly IReadOnlyList<string> TlsModes = ["auto", "starttls", "tls", "none"];
    public static readonly IReadOnlyList<string> Methods = ["POST", "PUT", "PATCH"];

    public Guid? Id { get; private init; }
    public string Type { get; set; } = "slack";
    public string Name { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public int? RateLimitPerMinute { get; set; }
    public string MessageTemplate { get; set; } = "";

    /// <summary>Slack webhook URL, PagerDuty routing key or webhook URL: the one secret target of those types.</summary>
    public string Secret { get; set; } = "";

    public string EmailHost { get; set; } = "";
    public int EmailPort { get; set; } = 587;
    public string EmailTlsMode { get; set; } = "auto";
    public string EmailFrom { get; set; } = "";
    /// <summary>Recipients, separated by commas, spaces or new lines.</summary>
    public string EmailTo { get; set; } = "";
    public string EmailUsername { get; set; } = "";
    public string EmailPassword { get; set; } = "";

    public string WebhookMethod { get; set; } = "POST";
    /// <summary>"Name: value" per line; left empty on an existing channel, the stored headers stay.</summary>
    public string WebhookHeaders { get; set; } = "";
    public string WebhookPayloadTemplate { get; set; } = "";
    public string WebhookSigningSecret { get; set; } = "";

    public bool IsNew => Id is null;

    /// <summary>What the Api already holds for an existing channel, shown instead of the secret itself.</summary>
    public string? StoredHint { get; private init; }
    public bool HasEmailPassword { get; private init; }
    public IReadOnlyList<string> StoredHeaderNames { get; private init; } = [];

    public static ChannelForm From(NotificationChannelDto channel) => new()
    {
        Id = channel.Id, Type = channel.Type, Name = channel.Name, Enabled = channel.Enabled, RateLimitPerMinute = channel.RateLimitPerMinute,
        MessageTemplate = channel.MessageTemplate ?? "", StoredHint = channel.TargetHint,
        EmailHost = channel.Email?.Host ?? "", EmailPort = channel.Email?.Port ?? 587, EmailTlsMode = channel.Email?.TlsMode ?? "auto",
        EmailFrom = channel.Email?.From ?? "", EmailTo = string.Join(", ", channel.Email?.To ?? []), EmailUsername = channel.Email?.Username ?? "",
        HasEmailPassword = channel.Email?.HasPassword ?? false,
        WebhookMethod = channel.Webhook?.Method ?? "POST", WebhookPayloadTemplate = channel.Webhook?.PayloadTemplate ?? "",
        StoredHeaderNames = channel.Webhook?.HeaderNames ?? [],
    };

    public NotificationChannelRequest ToRequest() => new(
        Type, Name.Trim(), Enabled, RateLimitPerMinute, NullIfBlank(MessageTemplate),
        Slack: Type == "slack" ? new SlackChannelConfig(KeptIfBlank(Secret)) : null,
        Email: Type == "email"
            ? new EmailChannelConfig(EmailHost.Trim(), EmailPort, EmailTlsMode, EmailFrom.Trim(), Recipients(EmailTo),
                NullIfBlank(EmailUsername), KeptIfBlank(EmailPassword))
            : null,
        Pagerduty: Type == "pagerduty" ? new PagerDutyChannelConfig(KeptIfBlank(Secret)) : null,
        Webhook: Type == "webhook"
            ? new WebhookChannelConfig(KeptIfBlank(Secret), WebhookMethod, Headers(WebhookHeaders), NullIfBlank(WebhookPayloadTemplate),
                KeptIfBlank(WebhookSigningSecret))
            : null);

    /// <summary>Header lines as a map; null (keep the stored ones) when there are none; a line without ':' is kept whole as a name so the Api can refuse it.</summary>
    public static IReadOnlyDictionary<string, string>? Headers(string text)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[colon < 0 ? line : line[..colon].Trim()] = colon < 0 ? "" : line[(colon + 1)..].Trim();
        }
        return headers.Count == 0 ? null : headers;
    }

    public static IReadOnlyList<string> Recipients(string text) =>
        text.Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);

    private static string? NullIfBlank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>An empty secret means "keep" on an existing channel, and "missing" (the Api says so) on a new one.</summary>
    private static string? KeptIfBlank(string text) => NullIfBlank(text);
}
