using Vigil.Agent.Protection;
using Vigil.Agent.Tests.Kernel;

namespace Vigil.Agent.Tests.Protection;

/// <summary>A kernel part that cannot start is named in the status, its rules fall back to a user-space kill, and the agent keeps running.</summary>
[Collection("protection")]
public sealed class MechanismFallbackTests
{
    private const string KillByName = "rules:\n  - id: miner_killed\n    expression: exec.file.name == \"xmrig\"\n    actions:\n      - kill: { signal: SIGKILL }\n";

    [RootFact]
    public async Task MissingGuardObject_IsReported_AndTheRuleFallsBackToUserSpace()
    {
        await using var agent = ProtectionHarness.Start(new() { ["kill.policy"] = KillByName },
            new ProtectionOptions { BpfObjectPath = "/nonexistent/vigil-protect.bpf.o" });
        Assert.Equal(ProtectionMechanism.UserSpace, Assert.Single(agent.Engine!.Plan).Mechanism);
        Assert.Contains(agent.Engine.StatusLines(), l => l.Contains("exec guard (eBPF): unavailable: BPF object /nonexistent/vigil-protect.bpf.o not found", StringComparison.Ordinal));
        Assert.Contains(agent.Log, l => l.Contains("exec rules fall back to user-space kills", StringComparison.Ordinal));
        var miner = agent.Canary("xmrig");

        var outcome = CanaryRun.Spawn(miner);

        var evt = await agent.WaitForAsync("miner_killed", e => ProtectionHarness.Pid(e) == outcome.Pid);
        var action = ProtectionHarness.Action(evt);
        Assert.Equal("user_space", (string?)action["mechanism"]);
        // Usually too late for a program this short; a kill that landed is "performed", a process found gone "not_performed".
        var status = (string?)action["status"];
        Assert.Contains(status, new[] { "performed", "not_performed" });
        if (outcome.Signal == 9) Assert.Equal("performed", status);
        if (status == "not_performed") Assert.Equal((0, 0), (outcome.Signal, outcome.ExitCode));
    }

    /// <summary>Fail open: a held process whose verdict never comes (no pipeline here, as if it were stuck) runs after the hold timeout.</summary>
    [RootFact]
    public void HeldProcess_WithoutAVerdict_IsResumedAfterTheHoldTimeout()
    {
        var directory = Directory.CreateTempSubdirectory("vigilprot-hold-").FullName;
        var policy = Path.Combine(directory, "stratum.policy");
        File.WriteAllText(policy, "rules:\n  - id: stratum_killed\n    expression: 'exec.args in [~\"*stratum+tcp://*\"]'\n    actions:\n      - kill: { signal: SIGKILL }\n");
        var miner = Path.Combine(directory, "xmrig");
        CanaryBinary.Write(miner, miner + ".ran");
        using (var engine = ProtectionStartup.Start(Rules.RuleHost.Load([policy]), _ => { }, _ => { }, new ProtectionOptions { HoldTimeout = TimeSpan.FromMilliseconds(300) })!)
        {
            Assert.Equal(ProtectionMechanism.Hold, Assert.Single(engine.Plan).Mechanism);

            var outcome = CanaryRun.Spawn(miner, "-o", "stratum+tcp://pool.example:3333");

            Assert.Equal(0, outcome.ExitCode);
            Assert.True(ProtectionHarness.Ran(miner), "a held process must run once its hold times out");
            Assert.True(outcome.ElapsedMicroseconds >= 250_000, $"it was held: {outcome.ElapsedMicroseconds:0} µs");
            Assert.Contains(engine.StatusLines(), l => l.Contains("resumed on timeout 1", StringComparison.Ordinal));
        }
        Directory.Delete(directory, true);
    }

    [RootFact]
    public async Task BlockWithoutFanotify_KillsAfterTheExec_AndSaysWhy()
    {
        await using var agent = ProtectionHarness.Start(new()
        {
            ["block.policy"] = "rules:\n  - id: miner_blocked\n    expression: exec.file.name == \"xmrig\"\n    actions:\n      - block: {}\n",
        }, new ProtectionOptions { UseFanotify = false });
        Assert.Equal(ProtectionMechanism.UserSpace, Assert.Single(agent.Engine!.Plan).Mechanism);
        var miner = agent.Canary("xmrig");

        var outcome = CanaryRun.Spawn(miner);

        Assert.False(outcome.Denied);
        var evt = await agent.WaitForAsync("miner_blocked", e => ProtectionHarness.Pid(e) == outcome.Pid);
        var action = ProtectionHarness.Action(evt);
        Assert.Equal(("block", "user_space"), ((string?)action["type"], (string?)action["mechanism"]));
        Assert.StartsWith("fanotify gate unavailable: killed after the exec", (string?)action["reason"], StringComparison.Ordinal);
    }
}
