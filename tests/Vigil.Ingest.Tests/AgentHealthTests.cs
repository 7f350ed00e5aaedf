using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Data.Entities;
using Vigil.Testing;

namespace Vigil.Ingest.Tests;

/// <summary>
/// Agent heartbeats posted to the real intake (PostgreSQL, RabbitMQ) keep the Agents page's figures on the
/// inventory row: probe status per kind, events/s between two heartbeats, dropped events.
/// </summary>
public sealed class AgentHealthTests(ProductionIngest ingest) : IClassFixture<ProductionIngest>
{
    /// <summary>Whole seconds (PostgreSQL keeps microseconds), a little in the past (the intake refuses old or future dates).</summary>
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 300);
    private VigilTestHost Host => ingest.Host;

    [Fact]
    public async Task TwoHeartbeats_TenSecondsApart_StoreRateProbesAndDropped()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();

        await PostAsync(http, org, "hb-1", Heartbeat(Start, seen: 1_000, dropped: 5, kernelLost: 0));
        await WaitForSeenAsync(org, 1_000);
        await PostAsync(http, org, "hb-2", Heartbeat(Start.AddSeconds(10), seen: 1_500, dropped: 5, kernelLost: 3));
        var host = await WaitForSeenAsync(org, 1_500);

        Assert.Equal(50.0, host.EventsPerSecond); // (1,500 − 1,000) / 10 s
        Assert.Equal(8, host.EventsDropped); // the agent's own drops + kernel ring-buffer losses
        Assert.Equal(3, host.EventsDroppedLastInterval);
        Assert.Equal(Start.AddSeconds(10).UtcDateTime, host.StatsReportedAt);
        var probes = JsonSerializer.Deserialize<List<AgentProbeDto>>(host.ProbesJson!, ApiJson.Options)!;
        Assert.Equal(
            [new("process", "ebpf", "ok", "20 tracepoint programs attached (events 1500, lost 0)"),
             new("kernel", "ebpf", "ok", "20 tracepoint programs attached (events 1500, lost 0)"),
             new("file", "fanotify", "failed", "no CAP_SYS_ADMIN"),
             new AgentProbeDto("dns", "none", "failed", "unavailable")],
            probes);
    }

    [Fact]
    public async Task HeartbeatAfterAgentRestart_CountersLower_RateCountsFromZero()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();

        await PostAsync(http, org, "hb-1", Heartbeat(Start, seen: 90_000, dropped: 40, kernelLost: 0));
        await WaitForSeenAsync(org, 90_000);
        // The agent restarted: its counters start again from zero.
        await PostAsync(http, org, "hb-2", Heartbeat(Start.AddSeconds(30), seen: 600, dropped: 2, kernelLost: 0));
        var host = await WaitForSeenAsync(org, 600);

        Assert.Equal(20.0, host.EventsPerSecond); // 600 since the restart / 30 s, not a negative rate
        Assert.Equal((2L, 2L), (host.EventsDropped!.Value, host.EventsDroppedLastInterval!.Value));
    }

    [Fact]
    public async Task HeartbeatWithFailedSelfTest_MarksThatRunningProbeDegraded()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var heartbeat = Heartbeat(Start, seen: 10, dropped: 0, kernelLost: 0);
        heartbeat["vigil"]!["probes"]!["self-test"] = "process ok (exec seen after 21 ms), kernel FAILED (no kill syscall event within 5 s)";

        await PostAsync(http, org, "hb-1", heartbeat);
        var host = await WaitForSeenAsync(org, 10);

        var probes = JsonSerializer.Deserialize<List<AgentProbeDto>>(host.ProbesJson!, ApiJson.Options)!.ToDictionary(p => p.Kind);
        Assert.Equal("ok", probes["process"].State);
        Assert.Equal(("ebpf", "degraded"), (probes["kernel"].Mechanism, probes["kernel"].State));
        Assert.StartsWith("self-test failed (no kill syscall event within 5 s); 20 tracepoint", probes["kernel"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileHeartbeat_UnknownKindsAndLongText_StoresOnlyKnownKindsWithBoundedText()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var heartbeat = Heartbeat(Start, seen: 1, dropped: 0, kernelLost: 0);
        var probes = heartbeat["vigil"]!["probes"]!.AsObject();
        for (var i = 0; i < 500; i++)
            probes[$"kind-{i}"] = new string('x', 1_000);
        probes["process"] = "ebpf running: " + new string('y', 50_000);
        // Characters JSON escapes to six each: four such messages would not fit the column uncut.
        foreach (var kind in new[] { "kernel", "file", "dns" })
            probes[kind] = "audit failed: " + string.Concat(Enumerable.Repeat("\"\u0001é😀", 200));

        await PostAsync(http, org, "hb-1", heartbeat);
        var host = await WaitForSeenAsync(org, 1);

        var stored = JsonSerializer.Deserialize<List<AgentProbeDto>>(host.ProbesJson!, ApiJson.Options)!;
        Assert.Equal(["process", "kernel", "file", "dns"], stored.Select(p => p.Kind));
        Assert.Equal(["ok", "failed", "failed", "failed"], stored.Select(p => p.State));
        Assert.True(stored[0].Message.Length <= 300, $"message of {stored[0].Message.Length} characters");
        Assert.True(host.ProbesJson!.Length <= AgentHost.MaxProbesJsonLength, $"probes JSON of {host.ProbesJson.Length} characters");
    }

    /// <summary>A heartbeat as <c>AgentEventFactory.Heartbeat</c> writes it, with the probe lines of <c>KernelPipeline.StatusLines</c>.</summary>
    private static JsonObject Heartbeat(DateTimeOffset at, long seen, long dropped, long kernelLost)
    {
        var heartbeat = AgentBatches.ExecEvent("heartbeat", at);
        heartbeat["vigil"] = new JsonObject
        {
            ["agent_stats"] = new JsonObject
            {
                ["events_seen"] = seen, ["events_matched"] = seen / 100, ["events_sent"] = seen / 100,
                ["events_dropped"] = dropped, ["kernel_lost_events"] = kernelLost,
            },
            ["probes"] = new JsonObject
            {
                ["process"] = $"ebpf running: 20 tracepoint programs attached (events {seen}, lost 0)",
                ["kernel"] = $"ebpf running: 20 tracepoint programs attached (events {seen}, lost 0)",
                ["file"] = "fanotify failed: no CAP_SYS_ADMIN",
                ["dns"] = "unavailable",
                ["self-test"] = "process ok (exec seen after 21 ms), kernel ok (kill syscall seen after 22 ms)",
            },
        };
        return heartbeat;
    }

    private static async Task PostAsync(HttpClient http, TestOrganization org, string batchId, JsonObject heartbeat)
    {
        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, AgentBatches.Batch(batchId, "host-h", heartbeat)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<AgentHost> WaitForSeenAsync(TestOrganization org, long seen) =>
        await Eventually.ReturnsAsync(async () =>
        {
            await using var scope = Host.CreateScope(org.Id, out var db);
            return await db.AgentHosts.AsNoTracking().SingleOrDefaultAsync(h => h.EventsSeen == seen);
        }, $"the heartbeat with {seen} events seen stored");
}
