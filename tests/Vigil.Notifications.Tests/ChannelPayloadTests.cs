using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Testing;

namespace Vigil.Notifications.Tests;

/// <summary>What each kind of channel puts on the wire, read back from real receivers on loopback.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class ChannelPayloadTests(NotificationsFixture fx)
{
    [Fact]
    public async Task Slack_CriticalSignal_BlockKitWithColourFieldsMessageAndLink()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var path = $"slack/{Guid.NewGuid():N}";
        var channel = await fx.SlackAsync(admin, path);
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", [channel.Channel.Id]));

        var signal = await fx.RaiseSignalAsync(org.Id, Severity.Critical, message: "Investigate **now**: <script>x</script>");
        var request = await Eventually.ReturnsAsync(async () => fx.Receiver.FirstOf(path), "the Slack message");

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("[Critical] Shell spawned on web-1 on web-1", root.GetProperty("text").GetString());
        var attachment = root.GetProperty("attachments")[0];
        Assert.Equal("#D32F2F", attachment.GetProperty("color").GetString());
        var blocks = attachment.GetProperty("blocks");
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("Shell spawned on web-1", blocks[0].GetProperty("text").GetProperty("text").GetString());
        var fields = blocks[1].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()).ToList();
        Assert.Equal(["*Severity*\nCritical", "*Host*\nweb-1", "*Rule*\ntest_rule"], fields);
        var text = blocks[2].GetProperty("text").GetProperty("text").GetString()!;
        Assert.StartsWith("Investigate *now*: &lt;script&gt;x&lt;/script&gt;", text, StringComparison.Ordinal);
        Assert.Contains("*Process:* /usr/bin/bash", text, StringComparison.Ordinal);
        Assert.Contains("*File:* /etc/shadow", text, StringComparison.Ordinal);
        var button = blocks[3].GetProperty("elements")[0];
        Assert.Equal($"http://vigil.test/signals/{signal.Id}", button.GetProperty("url").GetString());

        var delivery = Assert.Single(await fx.SettledAsync(org.Id, signal.Id, 1));
        Assert.Equal(("delivered", 1, 200), (delivery.Status, delivery.Attempts, delivery.ResponseCode));
    }

    [Fact]
    public async Task Webhook_PayloadTemplate_RenderedJsonSignedWithHmacSha256()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var path = $"hook/{Guid.NewGuid():N}";
        const string template = """{"title":"{{signal.title}}","sev":"{{signal.severity}}","path":"{{@process.executable.path}}","missing":"{{@no.such.attr}}","quote":"{{@title}}"}""";
        var channel = await fx.WebhookAsync(admin, path, payload: template);
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", [channel.Channel.Id]));

        var signal = await fx.RaiseSignalAsync(org.Id, Severity.High,
            sampleEventJson: """{"title":"say \"hi\"","process":{"executable":{"path":"/tmp/x"}}}""");
        var request = await Eventually.ReturnsAsync(async () => fx.Receiver.FirstOf(path), "the webhook call");

        Assert.Equal("POST", request.Method);
        Assert.Equal("""{"title":"Shell spawned on web-1","sev":"high","path":"/tmp/x","missing":"","quote":"say \"hi\""}""", request.Body);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("test-signing-secret-0123456789"), Encoding.UTF8.GetBytes(request.Body)));
        Assert.Equal(expected, request.Headers["X-Vigil-Signature"]);
        var delivery = Assert.Single(await fx.SettledAsync(org.Id, signal.Id, 1));
        Assert.Equal(delivery.Id.ToString(), request.Headers["X-Vigil-Delivery"]);
    }

    [Fact]
    public async Task PagerDuty_TriggerThenArchive_ResolveWithSameDedupKey()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var routingKey = Guid.NewGuid().ToString("N");
        var channel = await NotificationsFixture.CreateChannelAsync(admin,
            new NotificationChannelRequest("pagerduty", "oncall", Pagerduty: new PagerDutyChannelConfig(routingKey)));
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("high+", [channel.Channel.Id], MinSeverity: "high"));

        var signal = await fx.RaiseSignalAsync(org.Id, Severity.High);
        await fx.SettledAsync(org.Id, signal.Id, 1);
        using (var archive = await admin.PatchAsJsonAsync($"api/v2/signals/{signal.Id}/state",
            new UpdateSignalStateRequest("archived", "true_positive_benign", null, null), ApiJson.Options))
            Assert.True(archive.IsSuccessStatusCode, await archive.Content.ReadAsStringAsync());
        await fx.SettledAsync(org.Id, signal.Id, 2);

        var sent = fx.Receiver.Requests("pagerduty/v2/enqueue").Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Where(e => e.GetProperty("routing_key").GetString() == routingKey).ToList();
        Assert.Equal(2, sent.Count);
        var (trigger, resolve) = (sent[0], sent[1]);
        Assert.Equal("trigger", trigger.GetProperty("event_action").GetString());
        Assert.Equal(signal.Id.ToString(), trigger.GetProperty("dedup_key").GetString());
        var payload = trigger.GetProperty("payload");
        Assert.Equal("[High] Shell spawned on web-1 on web-1", payload.GetProperty("summary").GetString());
        Assert.Equal("error", payload.GetProperty("severity").GetString());
        Assert.Equal("web-1", payload.GetProperty("source").GetString());
        Assert.Equal($"http://vigil.test/signals/{signal.Id}", trigger.GetProperty("links")[0].GetProperty("href").GetString());
        Assert.Equal("resolve", resolve.GetProperty("event_action").GetString());
        Assert.Equal(signal.Id.ToString(), resolve.GetProperty("dedup_key").GetString());
    }

    [Fact]
    public async Task Email_Signal_HtmlAndPlainTextParts()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var to = $"soc-{Guid.NewGuid():N}@example.test";
        var channel = await NotificationsFixture.CreateChannelAsync(admin, new NotificationChannelRequest("email", "soc",
            Email: new EmailChannelConfig("127.0.0.1", fx.Smtp.Port, "none", "vigil@example.test", [to])));
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", [channel.Channel.Id]));

        var signal = await fx.RaiseSignalAsync(org.Id, Severity.Medium, message: "Check **the parent** process. <b>raw</b>");
        var mail = (await Eventually.ReturnsAsync(async () => fx.Smtp.For(to) is { Count: > 0 } m ? m[0] : null, "the email")).Message;

        Assert.Equal("[Medium] Shell spawned on web-1 on web-1", mail.Subject);
        Assert.Equal("vigil@example.test", mail.From.Mailboxes.Single().Address);
        Assert.Contains("<strong>the parent</strong>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;raw&lt;/b&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"http://vigil.test/signals/{signal.Id}\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Check the parent process.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Open the signal: http://vigil.test/signals/{signal.Id}", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("**", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal("delivered", Assert.Single(await fx.SettledAsync(org.Id, signal.Id, 1)).Status);
    }

    [Fact]
    public async Task TestNotification_Channel_DeliveredAndLogged()
    {
        var (_, admin) = await fx.NewOrgAsync();
        var path = $"slack/{Guid.NewGuid():N}";
        var channel = await fx.SlackAsync(admin, path);

        using var response = await admin.PostAsync($"api/v2/notifications/channels/{channel.Channel.Id}/test", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var queued = (await response.Content.ReadFromJsonAsync<NotificationDeliveryDto>(ApiJson.Options))!;
        var request = await Eventually.ReturnsAsync(async () => fx.Receiver.FirstOf(path), "the test message");
        Assert.Contains("Test notification from Vigil", request.Body, StringComparison.Ordinal);
        var logged = await Eventually.ReturnsAsync(async () =>
        {
            var d = await admin.GetFromJsonAsync<NotificationDeliveryDto>($"api/v2/notifications/deliveries/{queued.Id}", ApiJson.Options);
            return d?.Status == "delivered" ? d : null;
        }, "the test delivery logged as delivered");
        Assert.Equal(("test", 1, 200), (logged.Kind, logged.Attempts, logged.ResponseCode));
    }
}
