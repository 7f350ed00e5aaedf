using System.Text.Json.Nodes;
using Vigil.Api.Features.Notifications.Channels;
using Vigil.Api.Features.Notifications.Templates;

namespace Vigil.Api.Features.Notifications.Senders;

/// <summary>
/// Slack incoming webhook: a Block Kit message inside an attachment coloured by severity — header (title),
/// fields (severity, host, rule), the rendered message in mrkdwn, and a button to the signal.
/// </summary>
public sealed class SlackSender(IHttpClientFactory http, NotificationTemplates templates) : INotificationSender
{
    /// <summary>Slack's limits: 3000 characters per section text, 150 per header.</summary>
    public const int MaxSectionText = 3000;

    public string Type => ChannelTypes.Slack;

    public async Task<SendResult> SendAsync(ChannelTarget channel, NotificationSubject subject, Guid deliveryId, CancellationToken ct)
    {
        var payload = Payload(subject, MarkdownFormats.ToSlackMrkdwn(templates.RenderMarkdown(channel.MessageTemplate, subject)));
        using var response = await http.CreateClient(NotificationHttp.ClientName)
            .PostAsJsonAsync(channel.Secrets.Url, payload, ct);
        return await SendResult.FromResponseAsync(response, ct);
    }

    public static JsonObject Payload(NotificationSubject subject, string mrkdwn)
    {
        var s = subject.Signal;
        var title = MarkdownFormats.Truncate(s.Title, 150);
        var fallback = $"[{SeverityStyle.Label(subject.Severity)}] {s.Title} on {s.Hostname}";
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = title } },
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray(
                    Field("Severity", SeverityStyle.Label(subject.Severity)),
                    Field("Host", MarkdownFormats.Escape(s.Hostname)),
                    Field("Rule", MarkdownFormats.Escape(subject.RuleName))),
            },
        };
        if (mrkdwn.Length > 0)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = MarkdownFormats.Truncate(mrkdwn, MaxSectionText) },
            });
        }
        blocks.Add(new JsonObject
        {
            ["type"] = "actions",
            ["elements"] = new JsonArray(new JsonObject
            {
                ["type"] = "button",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Open signal" },
                ["url"] = subject.Url,
            }),
        });
        return new JsonObject
        {
            ["text"] = MarkdownFormats.Escape(fallback),
            ["attachments"] = new JsonArray(new JsonObject { ["color"] = SeverityStyle.Color(subject.Severity), ["blocks"] = blocks }),
        };
    }

    private static JsonObject Field(string name, string value) =>
        new() { ["type"] = "mrkdwn", ["text"] = $"*{name}*\n{value}" };
}
