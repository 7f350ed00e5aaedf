using Vigil.Core.Detection;
using Vigil.Core.Domain;

namespace Vigil.Ingest.Tests.Detection;

public sealed class NewValueAndSequenceRuleTests(DetectionFixture fixture) : IClassFixture<DetectionFixture>
{
    private static readonly DetectionRuleDefinition DownloadChmodExec = new()
    {
        Name = "Downloaded, made executable, executed on {{host}}",
        Method = DetectionMethod.Sequence,
        Queries =
        [
            new RuleQuery("download", "@agent.rule_id:curl_download"),
            new RuleQuery("chmod", "@agent.rule_id:chmod_exec_bit"),
            new RuleQuery("exec", "@agent.rule_id:exec_from_tmp"),
        ],
        GroupBy = ["host"],
        Options = new RuleOptions { Sequence = new SequenceOptions(["download", "chmod", "exec"], WindowSeconds: 120, Status: "critical") },
    };

    [Fact]
    public async Task Sequence_InOrderWithinTheWindow_Fires()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, DownloadChmodExec);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-3);

        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("curl_download", t0)]);
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("chmod_exec_bit", t0.AddSeconds(10))]);
        Assert.Empty(await fixture.SignalsAsync(org, rule));
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("exec_from_tmp", t0.AddSeconds(20))]);

        var signal = Assert.Single(await fixture.SignalsAsync(org, rule));
        Assert.Equal(Severity.Critical, signal.Severity);
        Assert.Equal("Downloaded, made executable, executed on web-1", signal.Title);
    }

    [Fact]
    public async Task Sequence_OutOfOrder_DoesNotFire()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, DownloadChmodExec);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-3);

        await fixture.PostAsync(org, "web-1", [
            DetectionFixture.Event("chmod_exec_bit", t0), DetectionFixture.Event("curl_download", t0.AddSeconds(5)),
            DetectionFixture.Event("exec_from_tmp", t0.AddSeconds(10))]);

        Assert.Empty(await fixture.SignalsAsync(org, rule));
    }

    [Fact]
    public async Task Sequence_StepsSpreadBeyondTheWindow_DoesNotFire_ButAFreshRunDoes()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, DownloadChmodExec);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-8);

        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("curl_download", t0), DetectionFixture.Event("chmod_exec_bit", t0.AddSeconds(30))]);
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("exec_from_tmp", t0.AddMinutes(3))]);
        Assert.Empty(await fixture.SignalsAsync(org, rule));

        await fixture.PostAsync(org, "web-1", [
            DetectionFixture.Event("curl_download", t0.AddMinutes(4)), DetectionFixture.Event("chmod_exec_bit", t0.AddMinutes(4).AddSeconds(5)),
            DetectionFixture.Event("exec_from_tmp", t0.AddMinutes(4).AddSeconds(9))]);
        Assert.Single(await fixture.SignalsAsync(org, rule));
    }

    [Fact]
    public async Task Sequence_StepsOnDifferentHosts_AreSeparateGroups()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, DownloadChmodExec);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-3);

        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("curl_download", t0)]);
        await fixture.PostAsync(org, "web-2", [DetectionFixture.Event("chmod_exec_bit", t0.AddSeconds(1))]);
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("exec_from_tmp", t0.AddSeconds(2))]);

        Assert.Empty(await fixture.SignalsAsync(org, rule));
    }

    [Fact]
    public async Task NewValue_AfterLearning_OnlyUnseenValuesFire()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, new DetectionRuleDefinition
        {
            Name = "New binary {{@process.executable.path}} on {{host}}",
            Method = DetectionMethod.NewValue,
            Queries = [new RuleQuery("a", "@evt.name:exec")],
            GroupBy = ["host"],
            Options = new RuleOptions { NewValue = new NewValueOptions("@process.executable.path", LearningDurationSeconds: 2, Status: "high") },
        });

        // Learning: the rule was just created; what it sees now becomes normal.
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("x", DateTimeOffset.UtcNow, "/usr/bin/nginx")]);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("x", DateTimeOffset.UtcNow, "/usr/bin/nginx")]);
        Assert.Empty(await fixture.SignalsAsync(org, rule));
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("x", DateTimeOffset.UtcNow, "/tmp/xmrig")]);

        var signal = Assert.Single(await fixture.SignalsAsync(org, rule));
        Assert.Equal(Severity.High, signal.Severity);
        Assert.Equal("New binary /tmp/xmrig on web-1", signal.Title);
        Assert.Contains("/tmp/xmrig", signal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewValue_LongerThanTheReasonColumn_OpensAndUpdatesTheSignal_WithTheReasonCut()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, new DetectionRuleDefinition
        {
            Name = "New binary on {{host}}",
            Method = DetectionMethod.NewValue,
            Queries = [new RuleQuery("a", "@evt.name:exec")],
            GroupBy = ["host"],
            Options = new RuleOptions { NewValue = new NewValueOptions("@process.executable.path", LearningDurationSeconds: 1, Status: "high") },
        });
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // Two new values within keep-alive: the first opens the signal, the second updates it. Each reason
        // ("new value of …: <path>") is longer than the 1,000-character column.
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("x", DateTimeOffset.UtcNow, "/tmp/" + new string('a', 1500))]);
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("x", DateTimeOffset.UtcNow, "/tmp/" + new string('b', 1500))]);

        var signal = Assert.Single(await fixture.SignalsAsync(org, rule));
        Assert.Equal(2, signal.EventCount);
        Assert.Equal(1000, signal.Reason!.Length);
        Assert.Contains("/tmp/bbb", signal.Reason, StringComparison.Ordinal);
    }
}
