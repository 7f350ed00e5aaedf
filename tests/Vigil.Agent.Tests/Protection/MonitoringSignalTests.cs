using System.Net;
using Microsoft.EntityFrameworkCore;
using Vigil.Api;
using Vigil.Api.Features.RemoteConfig;
using Vigil.Agent.Protection;
using Vigil.Agent.Tests.Kernel;
using Vigil.Core.Domain;
using Vigil.Ingest;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Protection;

/// <summary>
/// Monitoring mode end to end: the miner-named canary runs (its marker file exists), the agent reports it, and the
/// event, posted through the real Ingest on PostgreSQL + RabbitMQ, raises the out-of-the-box crypto-mining signal
/// in an organization seeded with the catalogue.
/// </summary>
[Collection("protection")]
public sealed class MonitoringSignalTests
{
    [RootFact]
    public async Task MonitoredMiner_Runs_AndRaisesTheCryptoMiningSignal()
    {
        await using var api = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build, await TestConfiguration.ProductionAsync());
        await using var ingest = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());
        var org = await TestOrganization.CreateAsync(api.Services);
        Assert.True(await ContentUpgradeTask.SeedAsync(api.Services, org.Id, CancellationToken.None));
        await using var agent = ProtectionHarness.Start(new()
        {
            ["macros.policy"] = File.ReadAllText(ProtectionHarness.MacrosPolicy),
            ["cryptomining.policy"] = File.ReadAllText(ProtectionHarness.CryptominingPolicy),
        });
        Assert.Null(agent.Engine); // monitoring: no rule carries an action
        var miner = agent.Canary("xmrig");

        var outcome = CanaryRun.Spawn(miner, "-o", "stratum+tcp://pool.example:3333");

        Assert.True(ProtectionHarness.Ran(miner), "in Monitoring mode the miner runs");
        var evt = await agent.WaitForAsync("cryptominer_executed", e => ProtectionHarness.Pid(e) == outcome.Pid);
        Assert.Null(evt["agent"]!["rule_actions"]);
        var hostname = $"miner-{Guid.NewGuid():N}"[..14];
        using var http = ingest.CreateClient();
        using var posted = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, AgentBatches.Batch($"b-{Guid.NewGuid():N}", hostname, evt.DeepClone())));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        var signal = await Eventually.ReturnsAsync(async () =>
        {
            await using var scope = ingest.CreateScope(org.Id, out var db);
            // Several catalogue rules read this agent rule; the one for a running miner is critical.
            return await db.Signals.AsNoTracking()
                .FirstOrDefaultAsync(s => s.Hostname == hostname && s.Title == $"Cryptocurrency miner running on {hostname}");
        }, "the crypto-mining signal", TimeSpan.FromSeconds(60));
        Assert.Equal((Severity.Critical, "cryptominer_executed"), (signal.Severity, signal.AgentRuleId));
    }
}
