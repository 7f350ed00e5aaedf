using Vigil.Agent.Protection;
using Vigil.Agent.Tests.Kernel;

namespace Vigil.Agent.Tests.Protection;

/// <summary>A rule that fires on too many distinct executables in a short time stops acting, and says so.</summary>
[Collection("protection")]
public sealed class DisarmerTests
{
    [RootFact]
    public async Task StratumRule_OnManyDistinctExecutables_IsDisarmedAndReportsIt()
    {
        await using var agent = ProtectionHarness.Start(new()
        {
            ["stratum.policy"] = "rules:\n  - id: stratum_killed\n    expression: 'exec.args in [~\"*stratum+tcp://*\"]'\n    actions:\n      - kill: { signal: SIGKILL }\n",
        }, new ProtectionOptions { DisarmerMaxExecutables = 3, DisarmerPeriod = TimeSpan.FromMinutes(5) });
        var miners = Enumerable.Range(1, 6).Select(i => agent.Canary("xmrig", $"copy{i}")).ToList();

        var outcomes = miners.Select(m => CanaryRun.Spawn(m, "-o", "stratum+tcp://pool.example:3333")).ToList();

        // The first three distinct executables are killed before they run; the fourth trips the disarmer.
        Assert.Equal([false, false, false, true, true, true], miners.Select(ProtectionHarness.Ran));
        Assert.Equal([9, 9, 9, 0, 0, 0], outcomes.Select(o => o.Signal));
        var statuses = new List<string?>();
        foreach (var outcome in outcomes)
        {
            var evt = await agent.WaitForAsync("stratum_killed", e => ProtectionHarness.Pid(e) == outcome.Pid);
            statuses.Add((string?)ProtectionHarness.Action(evt)["status"]);
            if (statuses[^1] == "rule_disarmed") Assert.Equal("executable", (string?)ProtectionHarness.Action(evt)["disarmer_type"]);
        }
        Assert.Equal(["performed", "performed", "performed", "rule_disarmed", "rule_disarmed", "rule_disarmed"], statuses);
        Assert.Contains("stratum_killed", agent.Engine!.Guard.DisarmedRules());
        Assert.Contains(agent.Engine.StatusLines(), l => l.Contains("disarmed: stratum_killed", StringComparison.Ordinal));
        Assert.Contains(agent.Log, l => l.Contains("rule `stratum_killed` disarmed", StringComparison.Ordinal));
    }
}
