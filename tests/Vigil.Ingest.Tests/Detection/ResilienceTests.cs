using System.Net;
using Vigil.Core.Detection;
using Vigil.Core.Domain;
using Vigil.Testing;

namespace Vigil.Ingest.Tests.Detection;

/// <summary>Detection survives a consumer that dies, and several Ingest instances share the work without duplicates.</summary>
public sealed class ResilienceTests(DetectionFixture fixture) : IClassFixture<DetectionFixture>
{
    private static readonly DetectionRuleDefinition ThreeFailures = new()
    {
        Name = "Three failures on {{host}}",
        Queries = [new RuleQuery("a", "@agent.rule_id:auth_failure")],
        GroupBy = ["host"],
        Cases = [new RuleCase("a >= 3", "high")],
    };

    private static readonly DetectionRuleDefinition TwoSteps = new()
    {
        Name = "Two steps on {{host}}",
        Method = DetectionMethod.Sequence,
        Queries = [new RuleQuery("first", "@agent.rule_id:step_one"), new RuleQuery("second", "@agent.rule_id:step_two")],
        GroupBy = ["host"],
        Options = new RuleOptions { Sequence = new SequenceOptions(["first", "second"], 300) },
    };

    [Fact]
    public async Task IngestInstanceStoppedMidSequenceAndMidWindow_AnotherInstanceFiresEachSignalExactlyOnce()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var threshold = await DetectionFixture.CreateRuleAsync(admin, ThreeFailures);
        var sequence = await DetectionFixture.CreateRuleAsync(admin, TwoSteps);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-2);
        var first = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());

        await fixture.PostAsync(org, "h1", [DetectionFixture.Event("auth_failure", t0), DetectionFixture.Event("auth_failure", t0.AddSeconds(1)),
            DetectionFixture.Event("step_one", t0.AddSeconds(2))], through: first);
        // The last batch is accepted by the first instance, which then stops at once: whoever consumes it,
        // the window's third event and the sequence's second step must count exactly once.
        using (var http = first.CreateClient())
        using (var accepted = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, AgentBatches.Batch("last-batch", "h1",
                   DetectionFixture.Event("auth_failure", t0.AddSeconds(3)), DetectionFixture.Event("step_two", t0.AddSeconds(4))))))
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await first.DisposeAsync();
        await using var second = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());

        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(second, org.Id)).Batches == 2, "the last batch stored");
        await Task.Delay(500);
        var thresholdSignal = Assert.Single(await fixture.SignalsAsync(org, threshold));
        Assert.Equal((Severity.High, 1), (thresholdSignal.Severity, thresholdSignal.EventCount));
        Assert.Single(await fixture.SignalsAsync(org, sequence));
    }

    [Fact]
    public async Task TwoIngestInstancesOnOneBroker_ManyGroups_EveryExpectedSignalExactlyOnce()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, ThreeFailures with { GroupBy = ["@process.executable.path"] });
        await using var second = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());
        var hosts = Enumerable.Range(0, 24).Select(i => $"node-{i:00}").ToArray();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-2);

        // Three rounds; in each, every group (one executable each) gets one failure, in batches spread over
        // both instances and sent concurrently, so the consumers race on the same groups' state.
        for (var round = 0; round < 3; round++)
        {
            var sends = hosts.Chunk(4).Select((chunk, i) => fixture.PostAsync(org, "collector",
                chunk.Select(h => DetectionFixture.Event("auth_failure", t0.AddSeconds(round), $"/opt/{h}")).ToArray(),
                through: i % 2 == 0 ? fixture.Ingest : second));
            await Task.WhenAll(sends);
        }

        var signals = await fixture.SignalsAsync(org, rule);
        Assert.Equal(hosts.Select(h => $"process.executable.path:/opt/{h}"), signals.Select(s => s.GroupKey).Order());
        Assert.All(signals, s => Assert.Equal(Severity.High, s.Severity));
    }

}
