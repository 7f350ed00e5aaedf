using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.Notifications.Tests;

/// <summary>Through the real detection engine: one notification when a signal opens, one more when its severity rises, none per event.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class EscalationTests(NotificationsFixture fx)
{
    [Fact]
    public async Task ThresholdSignal_MoreEvents_NotifiesOnOpenAndOnRiseOnly()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var id = Guid.NewGuid().ToString("N")[..8];
        var agentRule = $"auth_failure_{id}";
        using var created = await admin.PostAsync("api/v2/detection-rules", AgentBatches.Json($$$"""
            { "rule": { "name": "Repeated auth failures on {{host}}",
                        "queries": [ { "name": "a", "query": "@agent.rule_id:{{{agentRule}}}" } ],
                        "group_by": [ "host" ],
                        "cases": [ { "condition": "a >= 3", "status": "high" }, { "condition": "a > 0", "status": "low" } ],
                        "options": { "evaluation_window_seconds": 300, "keep_alive_seconds": 3600 } } }
            """));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var ruleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var path = $"hook/{id}";
        var channel = await fx.WebhookAsync(admin, path);
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("auth", [channel.Channel.Id], RuleIds: [ruleId]));

        using var intake = fx.Ingest.CreateClient();
        var host = $"esc-{id}";
        async Task SendAsync(int batch, int events)
        {
            var evts = Enumerable.Range(0, events).Select(_ => (System.Text.Json.Nodes.JsonNode)AgentBatches.ExecEvent(agentRule)).ToArray();
            using var response = await intake.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, AgentBatches.Batch($"{host}-{batch}", host, evts)));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await SendAsync(1, 1);
        var first = await Eventually.ReturnsAsync(async () => fx.Receiver.FirstOf(path), "the notification of the low signal");
        Assert.Contains("\"severity\": \"low\"", first.Body, StringComparison.Ordinal);
        await SendAsync(2, 1);
        await SendAsync(3, 2);
        await Eventually.TrueAsync(async () => fx.Receiver.Requests(path).Count >= 2, "the notification of the raised severity");
        await SendAsync(4, 3);
        await Task.Delay(TimeSpan.FromSeconds(5));

        var bodies = fx.Receiver.Requests(path).Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["low", "high"], bodies.Select(b => b.GetProperty("severity").GetString()));
        Assert.Single(bodies.Select(b => b.GetProperty("id").GetString()).Distinct());
    }
}
