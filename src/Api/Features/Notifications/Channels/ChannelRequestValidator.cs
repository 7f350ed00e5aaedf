using System.Net.Mail;
using Vigil.Api.Features.Notifications.Templates;
using Vigil.Core.Contracts.Api;

namespace Vigil.Api.Features.Notifications.Channels;

/// <summary>
/// Checks a channel request field by field (errors keyed by JSON path) and turns it into the stored
/// settings and secrets. URLs must be absolute http(s) of bounded length; templates must compile.
/// </summary>
public static class ChannelRequestValidator
{
    public const int MaxUrlLength = 2000;
    public const int MaxHeaders = 20;
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", WebhookSenderHeaders.Signature, WebhookSenderHeaders.Delivery,
    };

    public static Dictionary<string, string[]> Validate(
        NotificationChannelRequest request, ChannelSecrets? stored, NotificationTemplates templates, NotificationSubject sample,
        out ChannelSettings settings, out ChannelSecrets secrets)
    {
        var errors = new Dictionary<string, string[]>();
        settings = new ChannelSettings();
        secrets = stored ?? new ChannelSecrets();
        if (!ChannelTypes.All.Contains(request.Type))
        {
            errors["type"] = [$"type must be one of: {string.Join(", ", ChannelTypes.All)}."];
            return errors;
        }
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 80 || !request.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            errors["name"] = ["name is required: 1 to 80 letters, digits, '-', '_' or '.' (it forms the handle @type-name)."];
        if (request.RateLimitPerMinute is < 1 or > 10_000)
            errors["rate_limit_per_minute"] = ["rate_limit_per_minute must be between 1 and 10000."];
        if (request.MessageTemplate is { } message)
        {
            if (message.Length > 20_000)
                errors["message_template"] = ["message_template is longer than 20000 characters."];
            else if (templates.Validate(message, json: false, sample) is { } error)
                errors["message_template"] = [error.ToString()];
        }
        switch (request.Type)
        {
            case ChannelTypes.Slack:
                var url = Url(request.Slack?.WebhookUrl, stored?.Url, "slack.webhook_url", errors);
                secrets = new ChannelSecrets(Url: url);
                settings = new ChannelSettings();
                break;
            case ChannelTypes.PagerDuty:
                var key = request.Pagerduty?.RoutingKey ?? stored?.RoutingKey;
                if (string.IsNullOrWhiteSpace(key) || key.Length > 64 || !key.All(char.IsAsciiLetterOrDigit))
                    errors["pagerduty.routing_key"] = ["pagerduty.routing_key is required: the 32-character integration key (letters and digits)."];
                secrets = new ChannelSecrets(RoutingKey: key);
                break;
            case ChannelTypes.Email:
                (settings, secrets) = Email(request.Email, stored, errors);
                break;
            case ChannelTypes.Webhook:
                (settings, secrets) = Webhook(request.Webhook, stored, templates, sample, errors);
                break;
        }
        return errors;
    }

    private static (ChannelSettings, ChannelSecrets) Email(EmailChannelConfig? email, ChannelSecrets? stored, Dictionary<string, string[]> errors)
    {
        if (email is null)
        {
            errors["email"] = ["email is required for an email channel."];
            return (new ChannelSettings(), new ChannelSecrets());
        }
        if (string.IsNullOrWhiteSpace(email.Host) || email.Host.Length > 255 || Uri.CheckHostName(email.Host) == UriHostNameType.Unknown)
            errors["email.host"] = ["email.host must be a host name or IP address."];
        if (email.Port is < 1 or > 65535)
            errors["email.port"] = ["email.port must be between 1 and 65535."];
        if (email.TlsMode is not ("none" or "starttls" or "tls" or "auto"))
            errors["email.tls_mode"] = ["email.tls_mode must be none, starttls, tls or auto."];
        if (!IsAddress(email.From))
            errors["email.from"] = ["email.from must be an email address."];
        if (email.To is not { Count: > 0 and <= 50 } || email.To.Any(a => !IsAddress(a)))
            errors["email.to"] = ["email.to must list 1 to 50 email addresses."];
        if (email.Username is { Length: > 320 } || email.Password is { Length: > 1000 })
            errors["email.username"] = ["email.username (320) or email.password (1000) is too long."];
        var password = email.Password ?? stored?.Password;
        return (new ChannelSettings(EmailHost: email.Host, EmailPort: email.Port, EmailTlsMode: email.TlsMode, EmailFrom: email.From,
            EmailTo: email.To, EmailUsername: string.IsNullOrEmpty(email.Username) ? null : email.Username,
            EmailHasPassword: !string.IsNullOrEmpty(password)), new ChannelSecrets(Password: password));
    }

    private static (ChannelSettings, ChannelSecrets) Webhook(
        WebhookChannelConfig? hook, ChannelSecrets? stored, NotificationTemplates templates, NotificationSubject sample, Dictionary<string, string[]> errors)
    {
        if (hook is null)
        {
            errors["webhook"] = ["webhook is required for a webhook channel."];
            return (new ChannelSettings(), new ChannelSecrets());
        }
        var url = Url(hook.Url, stored?.Url, "webhook.url", errors);
        var method = (hook.Method ?? "POST").ToUpperInvariant();
        if (method is not ("POST" or "PUT" or "PATCH"))
            errors["webhook.method"] = ["webhook.method must be POST, PUT or PATCH."];
        var headers = hook.Headers ?? stored?.Headers ?? new Dictionary<string, string>();
        if (headers.Count > MaxHeaders)
            errors["webhook.headers"] = [$"webhook.headers may hold at most {MaxHeaders} headers."];
        foreach (var (name, value) in headers)
        {
            if (name.Length is 0 or > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || ReservedHeaders.Contains(name))
                errors[$"webhook.headers.{name}"] = ["a header name must be a token of letters, digits, '-' or '_' and not one Vigil sets itself."];
            else if (value.Length > 2000 || value.Any(char.IsControl))
                errors[$"webhook.headers.{name}"] = ["a header value must be at most 2000 characters without control characters."];
        }
        if (hook.PayloadTemplate is { } payload)
        {
            if (payload.Length > 20_000)
                errors["webhook.payload_template"] = ["webhook.payload_template is longer than 20000 characters."];
            else if (templates.Validate(payload, json: true, sample) is { } error)
                errors["webhook.payload_template"] = [error.ToString()];
        }
        var secret = hook.SigningSecret ?? stored?.SigningSecret;
        if (secret is { Length: < 16 or > 200 })
            errors["webhook.signing_secret"] = ["webhook.signing_secret must be 16 to 200 characters."];
        return (new ChannelSettings(WebhookMethod: method, WebhookPayloadTemplate: hook.PayloadTemplate, WebhookHeaderNames: [.. headers.Keys]),
            new ChannelSecrets(Url: url, Headers: headers.ToDictionary(), SigningSecret: secret));
    }

    /// <summary>An absolute http(s) URL without user info, at most 2000 characters; the stored one when omitted.</summary>
    private static string? Url(string? given, string? stored, string field, Dictionary<string, string[]> errors)
    {
        var url = given ?? stored;
        if (url is null || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
        {
            errors[field] = [$"{field} must be an absolute http or https URL of at most {MaxUrlLength} characters, without credentials."];
            return null;
        }
        return url;
    }

    /// <summary>A hint of where a channel points, without its secret parts (host only).</summary>
    public static string? Hint(string type, ChannelSettings settings, ChannelSecrets secrets) => type switch
    {
        ChannelTypes.Slack or ChannelTypes.Webhook when Uri.TryCreate(secrets.Url, UriKind.Absolute, out var uri) => uri.Host,
        ChannelTypes.Email => $"{settings.EmailHost}:{settings.EmailPort} → {string.Join(", ", settings.EmailTo ?? [])}",
        ChannelTypes.PagerDuty when secrets.RoutingKey is { Length: > 4 } key => "…" + key[^4..],
        _ => null,
    };

    private static bool IsAddress(string? text) =>
        text is { Length: > 0 and <= 320 } && MailAddress.TryCreate(text, out var address) && address.Address == text;
}

/// <summary>The header names the webhook sender sets itself.</summary>
internal static class WebhookSenderHeaders
{
    public const string Signature = Senders.WebhookSender.SignatureHeader;
    public const string Delivery = Senders.WebhookSender.DeliveryHeader;
}
