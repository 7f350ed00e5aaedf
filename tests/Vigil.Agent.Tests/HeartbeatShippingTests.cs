using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Api;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Events;
using Vigil.Ingest;
using Vigil.Testing;

namespace Vigil.Agent.Tests;

/// <summary>The agent ships heartbeats to a real Ingest (PostgreSQL + RabbitMQ) and they land as agent inventory.</summary>
public sealed class HeartbeatShippingTests
{
    [Fact]
    public async Task Runner_ShipsHeartbeats_ThatShowInTheAgentInventoryAndRaiseNoSignal()
    {
        await using var ingest = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());
        var org = await TestOrganization.CreateAsync(ingest.Services);
        var hostname = $"agent-{Guid.NewGuid():N}"[..14];
        var settings = new AgentSettings(ingest.Address, org.AgentApiKey, hostname, TimeSpan.FromMilliseconds(300));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = new AgentRunner(settings, TextWriter.Null).RunAsync(stop.Token);

        await Eventually.TrueAsync(async () =>
        {
            await using var scope = ingest.CreateScope(org.Id, out var db);
            return await db.AgentEvents.CountAsync(e => e.RuleId == InternalRuleIds.Heartbeat) >= 2;
        }, "two heartbeats stored");
        await stop.CancelAsync();
        await running;

        await using var api = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build, await TestConfiguration.ProductionAsync());
        using var http = api.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", org.ApplicationKey);
        var agent = Assert.Single((await http.GetFromJsonAsync<List<AgentHostDto>>("api/v2/agents", ApiJson.Options))!);
        Assert.Equal((hostname, AgentSettings.Version), (agent.Hostname, agent.AgentVersion));
        Assert.True(agent.LastSeen >= agent.FirstSeen);
        // No policy, so no probe runs: the heartbeat says so, and the counters of two heartbeats give a rate of zero.
        var health = agent.Health!;
        Assert.Equal(new AgentProbeDto("process", "none", "degraded", "disabled: no policy loaded"), Assert.Single(health.Probes));
        Assert.Equal((0.0, 0L, 0L), (health.EventsPerSecond!.Value, health.EventsSeen!.Value, health.EventsDropped!.Value));
        await using var check = ingest.CreateScope(org.Id, out var stored);
        Assert.Empty(await stored.Signals.ToListAsync());
    }

    [Fact]
    public async Task Runner_WithIngestDown_KeepsRetryingTheSameBatchUntilItIsTaken()
    {
        var port = LoopbackPort.Free();
        TestOrganization org;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var log = new StringWriter();
        var config = (await TestConfiguration.ProductionAsync()).With("Urls", $"http://127.0.0.1:{port}");

        // Seed through a first host, stop it, start the agent against the dead port, then bring Ingest back.
        await using (var seeding = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync()))
            org = await TestOrganization.CreateAsync(seeding.Services);
        var settings = new AgentSettings(new Uri($"http://127.0.0.1:{port}/"), org.AgentApiKey, "retrying-host", TimeSpan.FromMinutes(5));
        var running = new AgentRunner(settings, TextWriter.Synchronized(log)).RunAsync(stop.Token);
        await Eventually.TrueAsync(() => Task.FromResult(log.ToString().Contains("ingest unavailable", StringComparison.Ordinal)), "a failed attempt");

        await using var ingest = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, config, bindUrls: false);
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = ingest.CreateScope(org.Id, out var db);
            return await db.IngestedBatches.AnyAsync();
        }, "the retried heartbeat stored", TimeSpan.FromSeconds(45));
        await stop.CancelAsync();
        await running;

        await using var check = ingest.CreateScope(org.Id, out var stored);
        Assert.Equal(1, await stored.IngestedBatches.CountAsync());
    }
}
