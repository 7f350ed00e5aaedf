using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;
using Vigil.Core.Domain;

namespace Vigil.Ingest.Tests.Detection;

public sealed class ThresholdRuleTests(DetectionFixture fixture) : IClassFixture<DetectionFixture>
{
    private static DetectionRuleDefinition BruteForce(int windowSeconds = 300, int keepAlive = 3600, int maxDuration = 86400) => new()
    {
        Name = "Repeated failures on {{host}}",
        Queries = [new RuleQuery("a", "@agent.rule_id:auth_failure")],
        GroupBy = ["host"],
        Cases = [new RuleCase("a >= 3", "high", "many"), new RuleCase("a > 0", "low", "some")],
        Options = new RuleOptions { EvaluationWindowSeconds = windowSeconds, KeepAliveSeconds = keepAlive, MaxSignalDurationSeconds = maxDuration },
        Message = "Check who is guessing passwords on {{host}}.",
        Tags = ["tactic:TA0006-credential-access"],
    };

    [Fact]
    public async Task CasesInOrder_FirstMatchLow_ThenTheSameSignalRaisedToHigh()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, BruteForce());
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-3);

        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0)]);
        var first = Assert.Single(await fixture.SignalsAsync(org, rule));
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0.AddSeconds(10)), DetectionFixture.Event("auth_failure", t0.AddSeconds(20))]);
        var updated = Assert.Single(await fixture.SignalsAsync(org, rule));

        Assert.Equal((Severity.Low, 1), (first.Severity, first.EventCount));
        Assert.Equal(first.Id, updated.Id);
        Assert.Equal((Severity.High, 3), (updated.Severity, updated.EventCount));
        Assert.Equal("Repeated failures on web-1", updated.Title);
        Assert.Equal("Check who is guessing passwords on web-1.", updated.Message);
        Assert.Contains("a=3", updated.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignalEvents_ListTheEventsThatRaisedAndUpdatedIt()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, BruteForce());
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-3);
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0, "/usr/sbin/sshd")]);
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0.AddSeconds(5), "/usr/bin/su")]);
        var signal = Assert.Single(await fixture.SignalsAsync(org, rule));

        var events = await admin.GetFromJsonAsync<List<JsonElement>>($"api/v2/signals/{signal.Id}/events", ApiJson.Options);

        Assert.Equal(["/usr/sbin/sshd", "/usr/bin/su"],
            events!.Select(e => e.GetProperty("process").GetProperty("executable").GetProperty("path").GetString()));
    }

    [Fact]
    public async Task GroupBy_HostsGetSeparateSignals_AndOtherAgentRulesDoNotCount()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, BruteForce());
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-2);

        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0), DetectionFixture.Event("shell_spawned", t0)]);
        await fixture.PostAsync(org, "web-2", [DetectionFixture.Event("auth_failure", t0)]);

        var signals = await fixture.SignalsAsync(org, rule);
        Assert.Equal(["host:web-1", "host:web-2"], signals.Select(s => s.GroupKey).Order());
        Assert.All(signals, s => Assert.Equal(1, s.EventCount));
    }

    [Fact]
    public async Task Window_EventsFurtherApartThanTheWindow_NeverAddUpToTheHighCase()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, BruteForce(windowSeconds: 60));
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-8);

        foreach (var minutes in new[] { 0, 2, 4 })
            await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0.AddMinutes(minutes))]);

        var signal = Assert.Single(await fixture.SignalsAsync(org, rule));
        Assert.Equal((Severity.Low, 3), (signal.Severity, signal.EventCount));
    }

    [Fact]
    public async Task KeepAlive_AMatchAfterItOpensASecondSignal()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, BruteForce(keepAlive: 60));
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-6);

        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0)]);
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0.AddSeconds(30))]);
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0.AddMinutes(4))]);

        var signals = await fixture.SignalsAsync(org, rule);
        Assert.Equal([2, 1], signals.Select(s => s.EventCount));
    }

    [Fact]
    public async Task MaxSignalDuration_ALongRunningSignalIsClosedAndANewOneOpened()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, BruteForce(keepAlive: 3600, maxDuration: 120));
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-6);

        foreach (var seconds in new[] { 0, 60, 110, 130, 180 })
            await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0.AddSeconds(seconds))]);

        var signals = await fixture.SignalsAsync(org, rule);
        Assert.Equal([3, 2], signals.Select(s => s.EventCount));
    }

    [Fact]
    public async Task TwoQueries_CaseNeedsBoth()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, new DetectionRuleDefinition
        {
            Name = "Download then shell",
            Queries = [new RuleQuery("a", "@agent.rule_id:curl_download"), new RuleQuery("b", "@agent.rule_id:shell_spawned")],
            GroupBy = ["host"],
            Cases = [new RuleCase("a > 0 && b > 0", "critical")],
        });
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-2);

        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("curl_download", t0)]);
        Assert.Empty(await fixture.SignalsAsync(org, rule));
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("shell_spawned", t0.AddSeconds(5))]);

        var signal = Assert.Single(await fixture.SignalsAsync(org, rule));
        Assert.Equal(Severity.Critical, signal.Severity);
    }

    [Fact]
    public async Task Cardinality_CountsDistinctValues()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, new DetectionRuleDefinition
        {
            Name = "Many different binaries",
            Queries = [new RuleQuery("a", "@evt.name:exec", "cardinality", "@process.executable.path")],
            GroupBy = ["host"],
            Cases = [new RuleCase("a >= 3", "medium")],
        });
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-2);

        await fixture.PostAsync(org, "web-1", [
            DetectionFixture.Event("x", t0, "/bin/a"), DetectionFixture.Event("x", t0, "/bin/a"), DetectionFixture.Event("x", t0, "/bin/b")]);
        Assert.Empty(await fixture.SignalsAsync(org, rule));
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("x", t0.AddSeconds(1), "/bin/c")]);

        Assert.Single(await fixture.SignalsAsync(org, rule));
    }

    [Fact]
    public async Task NonProductionEnvironment_LowersTheSeverityWhenTheRuleAsks()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var definition = BruteForce() with { Options = new RuleOptions { DecreaseCriticalityBasedOnEnv = true } };
        var rule = await DetectionFixture.CreateRuleAsync(admin, definition);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-2);
        var three = Enumerable.Range(0, 3).Select(i => DetectionFixture.Event("auth_failure", t0.AddSeconds(i))).ToArray();

        await fixture.PostAsync(org, "staging-1", three, tags: ["env:staging"]);
        await fixture.PostAsync(org, "prod-1", three.Select(e => e.DeepClone()).ToArray(), tags: ["env:prod"]);

        var signals = await fixture.SignalsAsync(org, rule);
        Assert.Equal(Severity.Medium, signals.Single(s => s.Hostname == "staging-1").Severity);
        Assert.Equal(Severity.High, signals.Single(s => s.Hostname == "prod-1").Severity);
    }
}
