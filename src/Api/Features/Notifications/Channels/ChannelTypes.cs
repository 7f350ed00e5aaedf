namespace Vigil.Api.Features.Notifications.Channels;

/// <summary>The kinds of channel and the names their handles start with (<c>@slack-secops</c>).</summary>
public static class ChannelTypes
{
    public const string Slack = "slack";
    public const string Email = "email";
    public const string PagerDuty = "pagerduty";
    public const string Webhook = "webhook";

    public static readonly IReadOnlyList<string> All = [Slack, Email, PagerDuty, Webhook];

    public static string Handle(string type, string name) => $"@{type}-{name}";
}

/// <summary>What a channel stores in clear (shown by the API).</summary>
public sealed record ChannelSettings(
    string? EmailHost = null, int EmailPort = 0, string? EmailTlsMode = null, string? EmailFrom = null,
    IReadOnlyList<string>? EmailTo = null, string? EmailUsername = null,
    string? WebhookMethod = null, string? WebhookPayloadTemplate = null, IReadOnlyList<string>? WebhookHeaderNames = null,
    bool EmailHasPassword = false);

/// <summary>What a channel stores encrypted (never shown by the API, never logged).</summary>
public sealed record ChannelSecrets(
    string? Url = null, string? Password = null, string? RoutingKey = null,
    IReadOnlyDictionary<string, string>? Headers = null, string? SigningSecret = null);

/// <summary>A channel ready to send: its row's settings and decrypted secrets.</summary>
public sealed record ChannelTarget(Guid Id, string Type, string Name, ChannelSettings Settings, ChannelSecrets Secrets, string? MessageTemplate);
