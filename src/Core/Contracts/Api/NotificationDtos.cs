namespace Vigil.Core.Contracts.Api;

/// <summary>
/// Create or replace a notification channel. Exactly the block of its <c>Type</c> is read. On a replace,
/// a secret left null (webhook URL, password, routing key, headers, signing secret) keeps its stored value.
/// </summary>
public sealed record NotificationChannelRequest(
    string Type,
    string Name,
    bool Enabled = true,
    int? RateLimitPerMinute = null,
    string? MessageTemplate = null,
    SlackChannelConfig? Slack = null,
    EmailChannelConfig? Email = null,
    PagerDutyChannelConfig? Pagerduty = null,
    WebhookChannelConfig? Webhook = null);

public sealed record SlackChannelConfig(string? WebhookUrl);

/// <summary><c>TlsMode</c>: none, starttls, tls (implicit TLS, port 465) or auto.</summary>
public sealed record EmailChannelConfig(
    string Host, int Port, string TlsMode, string From, IReadOnlyList<string> To, string? Username = null, string? Password = null);

public sealed record PagerDutyChannelConfig(string? RoutingKey);

/// <summary>A generic webhook: <c>Method</c> POST, PUT or PATCH; <c>PayloadTemplate</c> JSON with <c>{{variables}}</c>.</summary>
public sealed record WebhookChannelConfig(
    string? Url, string Method = "POST", IReadOnlyDictionary<string, string>? Headers = null, string? PayloadTemplate = null,
    string? SigningSecret = null);

/// <summary>A channel as the API shows it: never a secret, only that one is set and a hint of the target.</summary>
public sealed record NotificationChannelDto(
    Guid Id, string Type, string Name, string Handle, bool Enabled, int RateLimitPerMinute, string? MessageTemplate,
    string? TargetHint, EmailChannelView? Email, WebhookChannelView? Webhook, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record EmailChannelView(string Host, int Port, string TlsMode, string From, IReadOnlyList<string> To, string? Username, bool HasPassword);

public sealed record WebhookChannelView(string Method, IReadOnlyList<string> HeaderNames, string? PayloadTemplate);

/// <summary>The answer to a channel creation: the one time a generated webhook signing secret is shown.</summary>
public sealed record NotificationChannelCreatedDto(NotificationChannelDto Channel, string? SigningSecret);

/// <summary>Create or replace a notification rule. Empty lists and null fields mean "any".</summary>
public sealed record NotificationRuleRequest(
    string Name,
    IReadOnlyList<Guid> ChannelIds,
    string MinSeverity = "info",
    bool Enabled = true,
    IReadOnlyList<string>? RuleTypes = null,
    IReadOnlyList<string>? RuleIds = null,
    IReadOnlyList<string>? Tags = null,
    string? Environment = null,
    string? Query = null,
    bool RenotifyOnSeverityIncrease = true);

public sealed record NotificationRuleDto(
    Guid Id, string Name, bool Enabled, string MinSeverity, IReadOnlyList<string> RuleTypes, IReadOnlyList<string> RuleIds,
    IReadOnlyList<string> Tags, string? Environment, string? Query, IReadOnlyList<Guid> ChannelIds, bool RenotifyOnSeverityIncrease,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Which recent signals (last <c>Days</c> days, newest first) a rule would have matched.</summary>
public sealed record NotificationRulePreviewDto(IReadOnlyList<SignalDto> Signals, int Scanned, bool Truncated);

/// <summary>One notification of one signal update through one channel.</summary>
public sealed record NotificationDeliveryDto(
    Guid Id, Guid ChannelId, string ChannelName, string ChannelType, Guid? SignalId, string Kind, string? Severity, string? Reason,
    string Status, int Attempts, string? LastError, int? ResponseCode, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt);
