using System.Net;
using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;

namespace Vigil.Notifications.Tests;

/// <summary>The channel and rule API: secrets never come back, bad input is refused by field, roles apply.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class ChannelApiTests(NotificationsFixture fx)
{
    [Fact]
    public async Task Channels_Secrets_NeverReturnedAndStoredEncrypted()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var slackUrl = fx.Receiver.Url("slack/T000/B000/supersecrettoken");
        var created = await NotificationsFixture.CreateChannelAsync(admin,
            new NotificationChannelRequest("slack", "secops", Slack: new SlackChannelConfig(slackUrl)));
        var hook = await NotificationsFixture.CreateChannelAsync(admin, new NotificationChannelRequest("webhook", "soar",
            Webhook: new WebhookChannelConfig(fx.Receiver.Url("hook/x"), Headers: new Dictionary<string, string> { ["Authorization"] = "Bearer hunter2" })));
        Assert.StartsWith("vgs_", hook.SigningSecret, StringComparison.Ordinal);
        Assert.Equal("@slack-secops", created.Channel.Handle);

        var readOnly = fx.Client(await fx.LoginAsync(org.ReadOnlyEmail, org.Password));
        var listed = await readOnly.GetStringAsync("api/v2/notifications/channels");
        Assert.DoesNotContain("supersecrettoken", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(hook.SigningSecret!, listed, StringComparison.Ordinal);
        Assert.Contains("Authorization", listed, StringComparison.Ordinal);
        await using (var scope = fx.Api.CreateScope(org.Id, out var db))
        {
            var rows = db.NotificationChannels.ToList();
            Assert.All(rows, r => Assert.DoesNotContain("supersecrettoken", r.ProtectedSecrets + r.SettingsJson, StringComparison.Ordinal));
            Assert.All(rows, r => Assert.DoesNotContain("hunter2", r.ProtectedSecrets + r.SettingsJson, StringComparison.Ordinal));
        }
        // Read-only and responders cannot manage channels.
        using var denied = await readOnly.PostAsJsonAsync("api/v2/notifications/channels",
            new NotificationChannelRequest("slack", "x", Slack: new SlackChannelConfig(slackUrl)), ApiJson.Options);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var responder = fx.Client(await fx.LoginAsync(org.ResponderEmail, org.Password));
        using var deniedDelete = await responder.DeleteAsync($"api/v2/notifications/channels/{created.Channel.Id}");
        Assert.Equal(HttpStatusCode.Forbidden, deniedDelete.StatusCode);
    }

    [Theory]
    [InlineData("""{"type":"slack","name":"a","slack":{"webhook_url":"ftp://example.test/x"}}""", "slack.webhook_url")]
    [InlineData("""{"type":"slack","name":"a","slack":{"webhook_url":"not a url"}}""", "slack.webhook_url")]
    [InlineData("""{"type":"webhook","name":"a","webhook":{"url":"file:///etc/passwd"}}""", "webhook.url")]
    [InlineData("""{"type":"webhook","name":"a","webhook":{"url":"http://127.0.0.1/x","method":"GET"}}""", "webhook.method")]
    [InlineData("""{"type":"email","name":"a","email":{"host":"127.0.0.1","port":25,"tls_mode":"none","from":"nope","to":["a@b.test"]}}""", "email.from")]
    [InlineData("""{"type":"pagerduty","name":"a","pagerduty":{"routing_key":""}}""", "pagerduty.routing_key")]
    [InlineData("""{"type":"sms","name":"a"}""", "type")]
    [InlineData("""{"type":"slack","name":"has space","slack":{"webhook_url":"http://127.0.0.1/x"}}""", "name")]
    public async Task CreateChannel_BadInput_400NamingTheField(string body, string field)
    {
        var (_, admin) = await fx.NewOrgAsync();
        using var response = await admin.PostAsync("api/v2/notifications/channels", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_SyntaxError_RefusedWithPosition()
    {
        var (_, admin) = await fx.NewOrgAsync();
        using var response = await admin.PostAsJsonAsync("api/v2/notifications/channels", new NotificationChannelRequest("slack", "a",
            MessageTemplate: "Alert\n{{#is_match \"severity\" \"critical\"}}boom", Slack: new SlackChannelConfig(fx.Receiver.Url("s"))), ApiJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.StartsWith("line 2, column 1:", problem!.Errors["message_template"][0], StringComparison.Ordinal);

        using var payload = await admin.PostAsJsonAsync("api/v2/notifications/channels", new NotificationChannelRequest("webhook", "b",
            Webhook: new WebhookChannelConfig(fx.Receiver.Url("h"), PayloadTemplate: "{\"a\": {{signal.title}} }")), ApiJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, payload.StatusCode);
        Assert.Contains("not valid JSON", await payload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulePreview_RecentSignals_OnlyMatchingOnes()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var channel = await fx.SlackAsync(admin, $"slack/{Guid.NewGuid():N}");
        var high = await fx.RaiseSignalAsync(org.Id, Severity.High, hostname: "db-1");
        await fx.RaiseSignalAsync(org.Id, Severity.Low, hostname: "db-2");
        await fx.RaiseSignalAsync(org.Id, Severity.Critical, hostname: "web-9");

        using var response = await admin.PostAsJsonAsync("api/v2/notifications/rules/preview",
            new NotificationRuleRequest("preview", [channel.Channel.Id], MinSeverity: "medium", Query: "host:db-*"), ApiJson.Options);
        var preview = (await response.Content.ReadFromJsonAsync<NotificationRulePreviewDto>(ApiJson.Options))!;
        Assert.Equal(high.Id, Assert.Single(preview.Signals).Id);

        using var bad = await admin.PostAsJsonAsync("api/v2/notifications/rules",
            new NotificationRuleRequest("bad", [channel.Channel.Id], MinSeverity: "urgent", Query: "host:(("), ApiJson.Options);
        var text = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("min_severity", text, StringComparison.Ordinal);
        Assert.Contains("\"query\"", text, StringComparison.Ordinal);
    }
}
