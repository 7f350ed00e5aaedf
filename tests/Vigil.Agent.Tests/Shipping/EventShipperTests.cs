using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Vigil.Agent.Shipping;
using Vigil.Core.Events;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Shipping;

/// <summary>The shipper against a real Ingest (PostgreSQL + RabbitMQ): outages, restarts, limits and refusals.</summary>
public sealed class EventShipperTests
{
    [Fact]
    public async Task Shipper_BackendDownAcrossRestart_DeliversEveryEventExactlyOnce()
    {
        await using var fixture = await ShippingFixture.CreateAsync();
        var expected = new List<string>();

        // Ingest is down: the first shipper spools its batches, then stops (as on an agent restart).
        await using (var first = fixture.Shipper())
        {
            for (var i = 0; i < 25; i++)
                Assert.True(first.TryEnqueue(ShippingFixture.Event(Marker(expected, "before-restart", i))));
            await Eventually.TrueAsync(() => Task.FromResult(SpooledEvents(fixture) == 25), "25 events in the spool");
            await Eventually.TrueAsync(() => Task.FromResult(first.Counters.Retries > 0), "a failed attempt");
        }
        var leftOver = Directory.GetFiles(fixture.SpoolDirectory, "*.batch");
        Assert.NotEmpty(leftOver); // 10 + 10 + 5 events, unless a slow machine closed a batch early by age
        // Kept to put back later: a batch Ingest stored but whose deletion a crash prevented.
        var copies = leftOver.Select(path => (path, File.ReadAllBytes(path))).ToList();

        // A new shipper over the same spool, more events, then Ingest comes up.
        await using (var second = fixture.Shipper())
        {
            for (var i = 0; i < 5; i++)
                Assert.True(second.TryEnqueue(ShippingFixture.Event(Marker(expected, "after-restart", i))));
            await fixture.StartIngestAsync();
            await Eventually.TrueAsync(async () => (await fixture.StoredAsync()).Count >= 30, "30 events stored", TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(() => Task.FromResult(second.Counters.SpoolBatches == 0), "the spool emptied");
            Assert.Equal(30, second.Counters.Sent);
            Assert.Equal(0, second.Counters.Dropped);
        }

        // The spooled copies come back, as if the agent had crashed between send and delete: Ingest deduplicates.
        foreach (var (path, body) in copies)
            await File.WriteAllBytesAsync(path, body);
        await using (var third = fixture.Shipper())
        {
            await Eventually.TrueAsync(() => Task.FromResult(third.Counters.SentBatches == copies.Count), "re-sent batches answered");
            Assert.Equal(copies.Count, third.Counters.DuplicateBatches);
        }

        var stored = await fixture.StoredAsync();
        Assert.Equal(expected.Order(StringComparer.Ordinal), stored.Select(e => e.Title).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(stored, e => e.Json.Contains("data_dropped", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(fixture.SpoolDirectory));
    }

    [Fact]
    public async Task Shipper_On429WithRetryAfter_WaitsTheServersDelayThenDelivers()
    {
        await using var fixture = await ShippingFixture.CreateAsync();
        await fixture.StartIngestAsync(("Vigil:Ingest:BatchesPerSecondPerKey", "1"), ("Vigil:Ingest:BurstPerKey", "1"));
        var options = fixture.Options() with { InitialBackoff = TimeSpan.FromSeconds(40), MaxBackoff = TimeSpan.FromSeconds(60) };

        // Another sender on the same key keeps the bucket empty until the shipper has been told to wait.
        using var burning = new CancellationTokenSource();
        var burner = BurnTokensAsync(fixture, burning.Token);
        await using var shipper = fixture.Shipper(options);
        var enqueued = 0;
        Assert.True(shipper.TryEnqueue(ShippingFixture.Event($"throttled-event-{enqueued++}")));
        // The bucket refills once a second; now and then the shipper's request takes that token before the burner's
        // next one. That batch is simply accepted, so the shipper gets another event until one meets a 429.
        await Eventually.TrueAsync(() =>
        {
            if (shipper.Counters.Retries > 0) return Task.FromResult(true);
            if (shipper.Counters.Sent == enqueued && enqueued < 20) Assert.True(shipper.TryEnqueue(ShippingFixture.Event($"throttled-event-{enqueued++}")));
            return Task.FromResult(false);
        }, "a 429 answer", TimeSpan.FromSeconds(60));
        await burning.CancelAsync();
        await burner;

        await Eventually.TrueAsync(() => Task.FromResult(shipper.Counters.Sent == enqueued), "every event delivered", TimeSpan.FromSeconds(30));
        var log = fixture.Log.ToString();
        Assert.Contains("HTTP 429", log, StringComparison.Ordinal);
        // Ingest says Retry-After: 1; the backoff alone would have waited 20-40 s.
        Assert.Contains("retried in 1.0 s", log, StringComparison.Ordinal);
        var throttledWaits = Regex.Matches(log, @"\(HTTP 429\); batch \w+ retried in ([0-9.]+) s").Select(m => double.Parse(m.Groups[1].Value)).ToList();
        Assert.NotEmpty(throttledWaits);
        Assert.All(throttledWaits, wait => Assert.True(wait <= 1.0, $"waited {wait} s after a 429 with Retry-After: 1"));
        // Accepted means handed to the bus; the consumer stores it shortly after.
        await Eventually.TrueAsync(async () => (await fixture.StoredAsync()).Count == enqueued, "the events stored");
        Assert.Equal(Enumerable.Range(0, enqueued).Select(i => $"throttled-event-{i}").Order(StringComparer.Ordinal), (await fixture.StoredAsync()).Select(e => e.Title).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Shipper_OnPermanent4xx_DropsTheBatchOnceAndFlagsTheNextOne()
    {
        await using var fixture = await ShippingFixture.CreateAsync();
        await fixture.StartIngestAsync();
        await using var shipper = fixture.Shipper();

        var invalid = ShippingFixture.Event("invalid");
        invalid.Remove("title"); // Ingest answers 400: the batch can never be stored
        Assert.True(shipper.TryEnqueue(invalid));
        await Eventually.TrueAsync(() => Task.FromResult(shipper.Counters.RejectedBatches == 1), "the batch refused");
        Assert.Equal((0, 1, 0), (shipper.Counters.Retries, shipper.Counters.Rejected, shipper.Counters.SpoolBatches));
        Assert.Contains("HTTP 400", fixture.Log.ToString(), StringComparison.Ordinal);

        Assert.True(shipper.TryEnqueue(ShippingFixture.Event("after-the-refusal")));
        await Eventually.TrueAsync(async () => (await fixture.StoredAsync()).Count == 2, "the next batch and its loss report");
        var stored = await fixture.StoredAsync();
        var next = Assert.Single(stored, e => e.Title == "after-the-refusal");
        Assert.True(JsonNode.Parse(next.Json)!["vigil"]!["data_dropped"]!.GetValue<bool>());
        var lost = Assert.Single(stored, e => e.RuleId == InternalRuleIds.LostEvents);
        Assert.Equal(1, JsonNode.Parse(lost.Json)!["vigil"]!["dropped_events"]!.GetValue<long>());
    }

    [Fact]
    public async Task Shipper_SpoolAtItsLimit_CountsTheDropsAndFlagsTheBatchAfterThem()
    {
        await using var fixture = await ShippingFixture.CreateAsync();
        // One incompressible ~1.5 KB event per batch in a 4 KiB spool: two fit, the rest is dropped.
        await using var shipper = fixture.Shipper(fixture.Options(spoolMaxBytes: 4096, maxBatchEvents: 1));
        for (var i = 0; i < 8; i++)
            Assert.True(shipper.TryEnqueue(ShippingFixture.Event($"big-{i}", Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(RandomBytes(1100)).ToArray()))));
        await Eventually.TrueAsync(() => Task.FromResult(SpooledEvents(fixture) + shipper.Counters.SpoolDropped == 8), "every event spooled or dropped");
        var dropped = shipper.Counters.SpoolDropped;
        Assert.InRange(dropped, 1, 7);
        Assert.True(shipper.Counters.SpoolBytes <= 4096);

        shipper.Counters.SetProbeLosses("files", 3);
        var heartbeat = AgentEventFactory.Heartbeat(DateTimeOffset.UtcNow, shipper.Counters, new Dictionary<string, string> { ["files"] = "files: test" });
        Assert.Equal(dropped, heartbeat["vigil"]!["agent_stats"]!["events_dropped_spool_full"]!.GetValue<long>());
        Assert.Equal("files: test", heartbeat["vigil"]!["probes"]!["files"]!.GetValue<string>());
        Assert.Equal(3, heartbeat["vigil"]!["agent_stats"]!["kernel_lost_events"]!.GetValue<long>());

        await fixture.StartIngestAsync();
        await Eventually.TrueAsync(() => Task.FromResult(shipper.Counters.SpoolBatches == 0), "the spool drained", TimeSpan.FromSeconds(60));
        Assert.True(shipper.TryEnqueue(heartbeat));
        // Accepted batches are stored by a bus consumer, in no guaranteed order: wait for all of them.
        await Eventually.TrueAsync(async () => (await fixture.StoredAsync()).Count == 8 - dropped + 2, "the spooled events, the heartbeat and the loss report");

        var stored = await fixture.StoredAsync();
        Assert.Equal(8 - dropped, stored.Count(e => e.Title.StartsWith("big-", StringComparison.Ordinal)));
        Assert.DoesNotContain(stored.Where(e => e.Title.StartsWith("big-", StringComparison.Ordinal)), e => e.Json.Contains("data_dropped", StringComparison.Ordinal));
        var flagged = Assert.Single(stored, e => e.RuleId == InternalRuleIds.Heartbeat);
        Assert.True(JsonNode.Parse(flagged.Json)!["vigil"]!["data_dropped"]!.GetValue<bool>());
        var lost = Assert.Single(stored, e => e.RuleId == InternalRuleIds.LostEvents);
        Assert.Equal(dropped, JsonNode.Parse(lost.Json)!["vigil"]!["dropped_events"]!.GetValue<long>());
    }

    private static string Marker(List<string> expected, string phase, int i)
    {
        var marker = $"{phase}-{i:D2}";
        expected.Add(marker);
        return marker;
    }

    /// <summary>Events in the spool, from the file names (<c>{seq}_{events}_{batch id}.batch</c>).</summary>
    private static int SpooledEvents(ShippingFixture fixture) =>
        Directory.GetFiles(fixture.SpoolDirectory, "*.batch").Sum(path => int.Parse(Path.GetFileName(path).Split('_')[1]));

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static async Task BurnTokensAsync(ShippingFixture fixture, CancellationToken ct)
    {
        using var http = fixture.Ingest!.CreateClient();
        var i = 0;
        while (!ct.IsCancellationRequested)
        {
            using var request = AgentBatches.IntakeRequest(fixture.Org.AgentApiKey,
                AgentBatches.Batch($"burn-{Guid.NewGuid():N}", "burner-host", ShippingFixture.Event($"burn-{i++}")));
            try
            {
                using var _ = await http.SendAsync(request, ct);
                await Task.Delay(50, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
