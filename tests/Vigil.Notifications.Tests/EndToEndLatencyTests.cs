using Vigil.Core.Contracts.Api;
using Vigil.Testing;
using Xunit.Abstractions;

namespace Vigil.Notifications.Tests;

/// <summary>
/// Agent event → Ingest → detection → signal → bus → Api → Hangfire → Slack fake and SMTP inbox, timed
/// from the event's own timestamp to its arrival. Reports the figures; the bound asserted is generous
/// (a loaded CI machine), the target is p99 &lt; 5 s.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class EndToEndLatencyTests(NotificationsFixture fx, ITestOutputHelper output)
{
    [Fact]
    public async Task AgentEvent_ToSlackAndEmail_LatencyReported()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var id = Guid.NewGuid().ToString("N");
        var slackPath = $"slack/{id}";
        var to = $"oncall-{id}@example.test";
        var slack = await fx.SlackAsync(admin, slackPath);
        var email = await NotificationsFixture.CreateChannelAsync(admin, new NotificationChannelRequest("email", "oncall",
            Email: new EmailChannelConfig("127.0.0.1", fx.Smtp.Port, "none", "vigil@example.test", [to])));
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("medium+", [slack.Channel.Id, email.Channel.Id], MinSeverity: "medium"));

        const int hosts = 10;
        using var intake = fx.Ingest.CreateClient();
        var sentAt = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < hosts; i++)
        {
            var host = $"e2e-{id[..8]}-{i}";
            var at = DateTimeOffset.UtcNow;
            sentAt[host] = at;
            using var response = await intake.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey,
                AgentBatches.Batch($"{host}-1", host, AgentBatches.ExecEvent("shell_spawned", at))));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            await Task.Delay(300);
        }

        var slackLatency = new List<double>();
        var emailLatency = new List<double>();
        await Eventually.TrueAsync(async () =>
            fx.Receiver.Requests(slackPath).Count >= hosts && fx.Smtp.For(to).Count >= hosts, "a Slack message and an email per host",
            TimeSpan.FromSeconds(120));
        foreach (var (host, at) in sentAt)
        {
            var message = Assert.Single(fx.Receiver.Requests(slackPath), r => r.Body.Contains($"on {host}\"", StringComparison.Ordinal));
            slackLatency.Add((message.At - at).TotalSeconds);
            var mail = Assert.Single(fx.Smtp.For(to), m => m.Message.Subject!.EndsWith(host, StringComparison.Ordinal));
            emailLatency.Add((mail.At - at).TotalSeconds);
        }
        Report("slack", slackLatency);
        Report("email", emailLatency);
        Assert.True(slackLatency.Max() < 60 && emailLatency.Max() < 60, "every notification arrived within a minute of its event");
    }

    private void Report(string channel, List<double> seconds)
    {
        var sorted = seconds.Order().ToList();
        var p50 = sorted[(sorted.Count - 1) / 2];
        var p99 = sorted[(int)Math.Ceiling(0.99 * sorted.Count) - 1];
        var line = $"event→{channel} latency over {sorted.Count} signals: p50 {p50:F2} s, p99 {p99:F2} s, max {sorted[^1]:F2} s (target p99 < 5 s)";
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
