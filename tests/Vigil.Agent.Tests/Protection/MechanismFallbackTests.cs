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
        // Too late for a program this short, and the report says whichever happened.
        Assert.Equal(outcome.Signal == 9 ? "performed" : "not_performed", (string?)action["status"]);
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
