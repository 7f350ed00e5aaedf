using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;

namespace Vigil.Notifications.Tests;

/// <summary>Which channels hear about which signals: rules, handles, deduplication, tenancy.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class RoutingTests(NotificationsFixture fx)
{
    [Fact]
    public async Task CriticalSignal_ReachesOnlyChannelsOfMatchingRules()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var id = Guid.NewGuid().ToString("N");
        var critical = await fx.SlackAsync(admin, $"slack/{id}/critical", "critical");
        var prodOnly = await fx.SlackAsync(admin, $"slack/{id}/prod", "prod");
        var tactic = await fx.SlackAsync(admin, $"slack/{id}/tactic", "tactic");
        var disabledRule = await fx.SlackAsync(admin, $"slack/{id}/disabled", "disabled");
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("critical", [critical.Channel.Id], MinSeverity: "critical",
            Query: "host:web-*"));
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("prod", [prodOnly.Channel.Id], Environment: "prod"));
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("execution", [tactic.Channel.Id], Tags: ["tactic:TA0002"]));
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("off", [disabledRule.Channel.Id], Enabled: false));

        var signal = await fx.RaiseSignalAsync(org.Id, Severity.Critical, tagsJson: """["tactic:TA0002","env:staging"]""");
        var rows = await fx.SettledAsync(org.Id, signal.Id, 2);

        Assert.Equal(new[] { critical.Channel.Id, tactic.Channel.Id }.Order(), rows.Select(r => r.ChannelId).Order());
        Assert.Single(fx.Receiver.Requests($"slack/{id}/critical"));
        Assert.Single(fx.Receiver.Requests($"slack/{id}/tactic"));
        Assert.Empty(fx.Receiver.Requests($"slack/{id}/prod"));
        Assert.Empty(fx.Receiver.Requests($"slack/{id}/disabled"));
    }

    [Fact]
    public async Task LowSignal_BelowEveryRule_ReachesNone()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var path = $"slack/{Guid.NewGuid():N}";
        var channel = await fx.SlackAsync(admin, path);
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("medium+", [channel.Channel.Id], MinSeverity: "medium"));
        var marker = await fx.RaiseSignalAsync(org.Id, Severity.Low);
        // A later signal that does notify proves the low one was processed (the bus is ordered per consumer enough for a bound).
        var high = await fx.RaiseSignalAsync(org.Id, Severity.High);
        await fx.SettledAsync(org.Id, high.Id, 1);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(await fx.DeliveriesAsync(org.Id, marker.Id));
        Assert.Single(fx.Receiver.Requests(path));
    }

    [Fact]
    public async Task HandleInRuleMessage_NamesChannelWithoutRule_OneNotificationEvenWhenAlsoRouted()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var id = Guid.NewGuid().ToString("N");
        var secops = await fx.SlackAsync(admin, $"slack/{id}/secops", "secops");
        var soar = await fx.WebhookAsync(admin, $"hook/{id}/soar", "soar");
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", [secops.Channel.Id]));

        var signal = await fx.RaiseSignalAsync(org.Id, Severity.Medium, message: "Escalate to @slack-secops and @webhook-soar.");
        var rows = await fx.SettledAsync(org.Id, signal.Id, 2);

        Assert.Equal(new[] { secops.Channel.Id, soar.Channel.Id }.Order(), rows.Select(r => r.ChannelId).Order());
        Assert.Contains(rows, r => r.Reason == "@webhook-soar");
        Assert.Single(fx.Receiver.Requests($"slack/{id}/secops"));
        Assert.Single(fx.Receiver.Requests($"hook/{id}/soar"));
    }

    [Fact]
    public async Task OrgA_Rules_NeverSeeOrgBSignals()
    {
        var (orgA, adminA) = await fx.NewOrgAsync();
        var (orgB, adminB) = await fx.NewOrgAsync();
        var id = Guid.NewGuid().ToString("N");
        var channelA = await fx.SlackAsync(adminA, $"slack/{id}/a");
        var channelB = await fx.SlackAsync(adminB, $"slack/{id}/b");
        await NotificationsFixture.CreateRuleAsync(adminA, new NotificationRuleRequest("all", [channelA.Channel.Id]));
        await NotificationsFixture.CreateRuleAsync(adminB, new NotificationRuleRequest("all", [channelB.Channel.Id]));

        // Org B's signal names org A's handle too: handles resolve only within the signal's organization.
        var signalB = await fx.RaiseSignalAsync(orgB.Id, Severity.Critical, message: "@slack-secops");
        await fx.SettledAsync(orgB.Id, signalB.Id, 1);
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Empty(await fx.DeliveriesAsync(orgA.Id));
        Assert.Empty(fx.Receiver.Requests($"slack/{id}/a"));
        Assert.Single(fx.Receiver.Requests($"slack/{id}/b"));
        // A rule of org A cannot target org B's channel either.
        using var response = await adminA.PostAsJsonAsync("api/v2/notifications/rules",
            new NotificationRuleRequest("steal", [channelB.Channel.Id]), ApiJson.Options);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("channel_ids", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedeliveredSignalCreated_AndSeverityRise_OneNotificationPerSeverity()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var path = $"slack/{Guid.NewGuid():N}";
        var channel = await fx.SlackAsync(admin, path);
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", [channel.Channel.Id]));
        var signal = await fx.RaiseSignalAsync(org.Id, Severity.Medium);
        await fx.SettledAsync(org.Id, signal.Id, 1);

        var bus = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<MassTransit.IBus>(fx.Ingest.Services);
        await bus.Publish(new Vigil.Core.Contracts.SignalCreated(org.Id, signal.Id, signal.RuleId, signal.Title, "medium", "web-1", DateTimeOffset.UtcNow));
        await using (var scope = fx.Api.CreateScope(org.Id, out var db))
        {
            var row = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.Signals, s => s.Id == signal.Id);
            row.Severity = Severity.Critical;
            await db.SaveChangesAsync();
        }
        for (var i = 0; i < 3; i++)
            await bus.Publish(new Vigil.Core.Contracts.SignalSeverityRaised(org.Id, signal.Id, "critical", "medium"));
        var rows = await fx.SettledAsync(org.Id, signal.Id, 2);
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(["medium", "critical"], rows.Select(r => r.Severity));
        Assert.Equal(2, fx.Receiver.Requests(path).Count);
        Assert.Equal(2, (await fx.DeliveriesAsync(org.Id, signal.Id)).Count);
    }
}
