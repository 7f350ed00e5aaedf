using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Ingest.Intake;
using Vigil.Testing;
using ZstdSharp;

namespace Vigil.Ingest.Tests;

/// <summary>What the intake accepts and how it stores it, on PostgreSQL (binary COPY) and RabbitMQ.</summary>
public sealed class IntakeAcceptanceTests(ProductionIngest ingest) : IClassFixture<ProductionIngest>
{
    private VigilTestHost Host => ingest.Host;

    [Fact]
    public async Task GzipBatch_WithRuleAndHeartbeatEvents_StoresAllEventsAndRaisesSignalsOnlyForRules()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var heartbeat = AgentBatches.ExecEvent("heartbeat");
        var batch = AgentBatches.Batch("batch-1", "host-a",
            AgentBatches.ExecEvent("shell_spawned"), AgentBatches.ExecEvent("ptrace_antidebug"), heartbeat);

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, batch));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<BatchAcceptedResponse>(ApiJson.Options);
        Assert.Equal(new BatchAcceptedResponse("batch-1", 3, Duplicate: false), body);
        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(Host, org.Id)) == (1, 3, 2), "the batch stored");
        await using var scope = Host.CreateScope(org.Id, out var db);
        var stored = await db.AgentEvents.OrderBy(e => e.RuleId).Select(e => new { e.RuleId, e.Hostname, e.EventType, e.Json }).ToListAsync();
        Assert.Equal(["heartbeat", "ptrace_antidebug", "shell_spawned"], stored.Select(e => e.RuleId));
        Assert.All(stored, e => Assert.Equal("host-a", e.Hostname));
        Assert.All(stored, e => Assert.Equal("exec", e.EventType));
        Assert.Contains("/usr/bin/bash", stored[0].Json, StringComparison.Ordinal);
        var agent = await db.AgentHosts.SingleAsync();
        Assert.Equal(("host-a", "0.1.0-test"), (agent.Hostname, agent.AgentVersion));
    }

    [Fact]
    public async Task EventInAContainer_SignalKeepsItsContainerAndImageForTheFacets()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var evt = AgentBatches.ExecEvent("shell_in_container");
        evt["container"] = new JsonObject { ["id"] = "4a5b6c7d8e9f" };
        evt["tags"] = new JsonArray("env:prod", "image_name:nginx:1.25");

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, AgentBatches.Batch("container-1", "host-c", evt)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(Host, org.Id)).Signals == 1, "the signal raised");
        await using var scope = Host.CreateScope(org.Id, out var db);
        var signal = await db.Signals.SingleAsync();
        Assert.Equal(("4a5b6c7d8e9f", "nginx:1.25"), (signal.ContainerId, signal.ContainerImage));
    }

    [Fact]
    public async Task ZstdAndUncompressedBatches_AreAccepted()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var json = AgentBatches.Utf8(AgentBatches.Batch("zstd-1", "host-z", AgentBatches.ExecEvent("rule_z")));
        using var compressor = new Compressor();

        using var zstd = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, compressor.Wrap(json).ToArray(), "zstd"));
        using var plain = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey,
            AgentBatches.Utf8(AgentBatches.Batch("plain-1", "host-z", AgentBatches.ExecEvent("rule_p")))));

        Assert.Equal(HttpStatusCode.Accepted, zstd.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, plain.StatusCode);
        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(Host, org.Id)).Events == 2, "both batches stored");
    }

    [Fact]
    public async Task SameBatchIdPostedAgain_IsStoredOnceAndAnsweredAsDuplicate()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var batch = AgentBatches.Batch("retried-batch", "host-r", AgentBatches.ExecEvent("rule_r"), AgentBatches.ExecEvent("rule_r2"));

        // Two copies at once (an agent that timed out and retried): both may pass the intake's check,
        // the consumer must still store the batch once.
        var racing = await Task.WhenAll(
            http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, batch)),
            http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, batch)));
        Assert.All(racing, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK));
        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(Host, org.Id)).Batches == 1, "the batch stored");

        using var late = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, batch));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal(new BatchAcceptedResponse("retried-batch", 0, Duplicate: true),
            await late.Content.ReadFromJsonAsync<BatchAcceptedResponse>(ApiJson.Options));
        await Task.Delay(500); // give a wrongly republished copy time to land before counting
        Assert.Equal((1, 2, 2), await IntakeAssertions.StoredAsync(Host, org.Id));
    }

    [Fact]
    public async Task SameBatchIdFromAnotherOrganization_IsItsOwnBatch()
    {
        var orgA = await TestOrganization.CreateAsync(Host.Services);
        var orgB = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var batch = AgentBatches.Batch("common-id", "host-c", AgentBatches.ExecEvent("rule_c"));

        using var a = await http.SendAsync(AgentBatches.IntakeRequest(orgA.AgentApiKey, batch));
        using var b = await http.SendAsync(AgentBatches.IntakeRequest(orgB.AgentApiKey, batch));

        Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(Host, orgA.Id)).Events == 1
            && (await IntakeAssertions.StoredAsync(Host, orgB.Id)).Events == 1, "one copy stored per organization");
    }

    [Fact]
    public async Task HealthEndpoints_WithDatabaseAndBusUp_AreHealthy()
    {
        using var http = Host.CreateClient();

        using var health = await http.GetAsync("health");
        using var alive = await http.GetAsync("alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
