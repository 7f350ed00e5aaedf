using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Testing;

namespace Vigil.Notifications.Tests;

/// <summary>
/// Receivers that fail, throttle, refuse or hang. The fixture's backoff is 1 s doubling to 4 s (production:
/// 10 s to 10 min), so a minute-long outage sees many retries.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class DeliveryFaultTests(NotificationsFixture fx)
{
    [Fact]
    public async Task ReceiverDown_ThenBack_DeliveredOnceAfterRetries()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var path = $"hook/{Guid.NewGuid():N}";
        fx.Receiver.Set(path, ReceiverMode.Fail500);
        var channel = await fx.WebhookAsync(admin, path);
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", [channel.Channel.Id]));
        var signal = await fx.RaiseSignalAsync(org.Id, Severity.High);

        await Task.Delay(TimeSpan.FromMinutes(1)); // the receiver is down for a minute
        var during = Assert.Single(await fx.DeliveriesAsync(org.Id, signal.Id));
        Assert.Equal("retrying", during.Status);
        Assert.Equal(500, during.ResponseCode);
        Assert.True(during.Attempts >= 2, $"attempts during the outage: {during.Attempts}");
        fx.Receiver.Set(path, ReceiverMode.Ok);

        var done = Assert.Single(await fx.SettledAsync(org.Id, signal.Id, 1));
        Assert.Equal("delivered", done.Status);
        var requests = fx.Receiver.Requests(path);
        Assert.Single(requests, r => r.AnsweredWith == 200);
        Assert.Equal(done.Attempts, requests.Count);
    }

    [Fact]
    public async Task TooManyRequests_RetryAfterHonoured_ThenDelivered()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var path = $"slack/{Guid.NewGuid():N}";
        fx.Receiver.Set(path, ReceiverMode.TooMany);
        var channel = await fx.SlackAsync(admin, path);
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", [channel.Channel.Id]));
        var signal = await fx.RaiseSignalAsync(org.Id, Severity.High);

        var first = await Eventually.ReturnsAsync(async () => fx.Receiver.FirstOf(path), "the first, throttled attempt");
        var retrying = await Eventually.ReturnsAsync(async () =>
            (await fx.DeliveriesAsync(org.Id, signal.Id)).FirstOrDefault(d => d.Status == "retrying"), "the retry scheduled");
        Assert.Equal(429, retrying.ResponseCode);
        // Retry-After (2 s) is longer than the first backoff step (1 s): the next attempt is due no earlier.
        Assert.True(retrying.NextAttemptAt >= first.At.UtcDateTime.AddSeconds(1.5), $"next attempt at {retrying.NextAttemptAt:O}, first at {first.At:O}");
        fx.Receiver.Set(path, ReceiverMode.Ok);
        var done = Assert.Single(await fx.SettledAsync(org.Id, signal.Id, 1));
        Assert.Equal("delivered", done.Status);
        var requests = fx.Receiver.Requests(path);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(1.5), "the second attempt waited for Retry-After");
    }

    [Fact]
    public async Task PermanentFailure_400_StopsAtOnceAndIsVisible()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var path = $"slack/{Guid.NewGuid():N}";
        fx.Receiver.Set(path, ReceiverMode.BadRequest);
        var channel = await fx.SlackAsync(admin, path);
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", [channel.Channel.Id]));
        var signal = await fx.RaiseSignalAsync(org.Id, Severity.High);

        var failed = Assert.Single(await fx.SettledAsync(org.Id, signal.Id, 1));
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(("failed", 1, 400), (failed.Status, failed.Attempts, failed.ResponseCode));
        Assert.Contains("invalid_payload", failed.LastError, StringComparison.Ordinal);
        Assert.Single(fx.Receiver.Requests(path));
        var logged = await admin.GetFromJsonAsync<List<NotificationDeliveryDto>>($"api/v2/notifications/deliveries?signal_id={signal.Id}", ApiJson.Options);
        Assert.Equal("failed", Assert.Single(logged!).Status);
    }

    [Fact]
    public async Task HangingReceiver_DoesNotBlockOtherChannels()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var id = Guid.NewGuid().ToString("N");
        var hangs = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            fx.Receiver.Set($"hook/{id}/hang{i}", ReceiverMode.Hang);
            hangs.Add((await fx.WebhookAsync(admin, $"hook/{id}/hang{i}", $"hang{i}")).Channel.Id);
        }
        var healthy = await fx.SlackAsync(admin, $"slack/{id}/ok");
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", [.. hangs, healthy.Channel.Id]));

        var signal = await fx.RaiseSignalAsync(org.Id, Severity.Critical);
        await Eventually.ReturnsAsync(async () => fx.Receiver.FirstOf($"hook/{id}/hang0"), "the hanging receiver called");
        var ok = await Eventually.ReturnsAsync(async () => fx.Receiver.FirstOf($"slack/{id}/ok"), "the healthy channel's message");
        // The receiver has the message before the job records the answer: wait for the row.
        await Eventually.TrueAsync(async () => (await fx.DeliveriesAsync(org.Id, signal.Id))
            .Any(r => r.ChannelId == healthy.Channel.Id && r.Status == "delivered"), "the healthy channel's delivery recorded");
        // The hung sends were abandoned after the send timeout and are being retried, not stuck.
        await Eventually.TrueAsync(async () => (await fx.DeliveriesAsync(org.Id, signal.Id))
            .Where(r => hangs.Contains(r.ChannelId)).All(r => r.Status == "retrying" && r.LastError!.Contains("in time", StringComparison.Ordinal)),
            "the hung deliveries timed out and scheduled for retry");
        Assert.NotNull(ok);
        foreach (var i in Enumerable.Range(0, 3))
            fx.Receiver.Set($"hook/{id}/hang{i}", ReceiverMode.Ok);
        await fx.SettledAsync(org.Id, signal.Id, 4);
    }

    [Fact]
    public async Task ApiRestart_DuringRetries_NothingLostNothingSentTwice()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var id = Guid.NewGuid().ToString("N");
        var paths = Enumerable.Range(0, 3).Select(i => $"hook/{id}/{i}").ToList();
        var channels = new List<Guid>();
        foreach (var (path, i) in paths.Select((p, i) => (p, i)))
        {
            fx.Receiver.Set(path, ReceiverMode.Fail500);
            channels.Add((await fx.WebhookAsync(admin, path, $"r{i}")).Channel.Id);
        }
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", channels));
        var signal = await fx.RaiseSignalAsync(org.Id, Severity.High);
        await Eventually.TrueAsync(async () => (await fx.DeliveriesAsync(org.Id, signal.Id)) is { Count: 3 } rows && rows.All(r => r.Attempts >= 2),
            "every delivery retried at least once", TimeSpan.FromSeconds(60));

        await fx.RestartApiAsync();
        foreach (var path in paths)
            fx.Receiver.Set(path, ReceiverMode.Ok);

        var done = await fx.SettledAsync(org.Id, signal.Id, 3, TimeSpan.FromSeconds(120));
        Assert.All(done, d => Assert.Equal("delivered", d.Status));
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var path in paths)
        {
            var requests = fx.Receiver.Requests(path);
            Assert.Single(requests, r => r.AnsweredWith == 200);
            Assert.Single(requests.Select(r => r.Headers["X-Vigil-Delivery"]).Distinct());
        }
    }

    [Fact]
    public async Task ChannelRateLimit_PostponesExtraNotificationsWithoutCountingAttempts()
    {
        var (org, admin) = await fx.NewOrgAsync();
        var path = $"slack/{Guid.NewGuid():N}";
        var channel = await NotificationsFixture.CreateChannelAsync(admin, new NotificationChannelRequest("slack", "limited",
            RateLimitPerMinute: 2, Slack: new SlackChannelConfig(fx.Receiver.Url(path))));
        await NotificationsFixture.CreateRuleAsync(admin, new NotificationRuleRequest("all", [channel.Channel.Id]));
        for (var i = 0; i < 4; i++)
            await fx.RaiseSignalAsync(org.Id, Severity.High, hostname: $"rl-{i}");

        await Eventually.TrueAsync(async () => fx.Receiver.Requests(path).Count >= 2, "the first two notifications");
        await Eventually.TrueAsync(async () => (await fx.DeliveriesAsync(org.Id)).Count == 4, "four deliveries queued");
        await Task.Delay(TimeSpan.FromSeconds(8));
        // 2 per minute: the bucket's burst of 2 went at once; the next token comes 30 s later.
        Assert.Equal(2, fx.Receiver.Requests(path).Count);
        var rows = await fx.DeliveriesAsync(org.Id);
        Assert.Equal(2, rows.Count(r => r.Status == "delivered"));
        Assert.All(rows.Where(r => r.Status != "delivered"), r => Assert.Equal(("pending", 0), (r.Status, r.Attempts)));
    }
}
