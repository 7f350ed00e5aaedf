using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Vigil.Api.Features.Notifications.Channels;
using Vigil.Api.Features.Notifications.Templates;

namespace Vigil.Api.Features.Notifications.Senders;

/// <summary>
/// PagerDuty Events API v2: <c>trigger</c> with the severity mapped to PagerDuty's four levels and
/// <c>dedup_key</c> = the signal id (a re-notification updates the same incident), <c>resolve</c> with the
/// same key when the signal is archived. The summary is plain text within PagerDuty's 1024 characters.
/// </summary>
public sealed class PagerDutySender(IHttpClientFactory http, NotificationTemplates templates, IOptions<NotificationOptions> options)
    : INotificationSender
{
    public const int MaxSummary = 1024;

    public string Type => ChannelTypes.PagerDuty;

    public async Task<SendResult> SendAsync(ChannelTarget channel, NotificationSubject subject, Guid deliveryId, CancellationToken ct)
    {
        var details = MarkdownFormats.ToPlainText(templates.RenderMarkdown(channel.MessageTemplate, subject));
        var payload = Payload(channel.Secrets.RoutingKey ?? "", subject, details);
        using var response = await http.CreateClient(NotificationHttp.ClientName)
            .PostAsJsonAsync(options.Value.PagerDutyEventsUrl, payload, ct);
        return await SendResult.FromResponseAsync(response, ct);
    }

    public static JsonObject Payload(string routingKey, NotificationSubject subject, string details)
    {
        var s = subject.Signal;
        var dedupKey = s.Id.ToString();
        if (subject.Kind == NotificationKinds.Resolve)
            return new JsonObject { ["routing_key"] = routingKey, ["event_action"] = "resolve", ["dedup_key"] = dedupKey };
        return new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = "trigger",
            ["dedup_key"] = dedupKey,
            ["client"] = "Vigil",
            ["client_url"] = subject.Url,
            ["payload"] = new JsonObject
            {
                ["summary"] = MarkdownFormats.Truncate($"[{SeverityStyle.Label(subject.Severity)}] {s.Title} on {s.Hostname}", MaxSummary),
                ["source"] = s.Hostname,
                ["severity"] = Severity(subject.Severity),
                ["timestamp"] = new DateTimeOffset(DateTime.SpecifyKind(s.FirstSeen, DateTimeKind.Utc)).ToString("O"),
                ["component"] = subject.RuleName,
                ["class"] = subject.RuleType,
                ["custom_details"] = new JsonObject
                {
                    ["message"] = MarkdownFormats.Truncate(details, 8000),
                    ["severity"] = subject.Severity,
                    ["rule_id"] = s.RuleId,
                    ["events_matched"] = s.EventCount,
                },
            },
            ["links"] = new JsonArray(new JsonObject { ["href"] = subject.Url, ["text"] = "Open the signal in Vigil" }),
        };
    }

    /// <summary>PagerDuty knows critical, error, warning and info.</summary>
    public static string Severity(string severity) => severity switch
    {
        "critical" => "critical",
        "high" => "error",
        "medium" => "warning",
        _ => "info",
    };
}
