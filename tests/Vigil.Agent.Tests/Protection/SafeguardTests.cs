using Vigil.Agent.Probes;
using Vigil.Agent.Process;
using Vigil.Agent.Protection;
using Vigil.Agent.Tests.Kernel;

namespace Vigil.Agent.Tests.Protection;

/// <summary>Processes protection must never act on, whatever the rule says; the refusal is reported.</summary>
[Collection("protection")]
public sealed class SafeguardTests
{
    // SIGCONT: if a safeguard ever broke, the test would report it without harming pid 1 or itself.
    private const string SignalEverything = "rules:\n  - id: signal_any\n    expression: exec.file.name != \"\"\n    actions:\n      - kill: { signal: SIGCONT }\n";

    /// <summary>A match on pid 1 and on the agent itself (real /proc entries): refused, no signal sent.</summary>
    [RootTheory]
    [InlineData(1, "pid_1")]
    [InlineData(0, "agent")]
    public void Kill_OnPid1OrTheAgent_IsRefused(int pid, string reason)
    {
        pid = pid == 0 ? Environment.ProcessId : pid;
        var rules = Rules.RuleHost.Load([WritePolicy(SignalEverything)]);
        using var engine = new ProtectionEngine(rules.RuleSet.Rules, new ProtectionOptions { UseEbpf = false, UseFanotify = false });
        engine.Start();
        var cache = new ProcessCache(new UserDirectory(), new ContainerResolver());
        var subject = cache.Get(pid)!;
        var evt = new KernelEvent { Kind = KernelEventKind.Exec, Pid = pid, TimestampNs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000 };

        var report = engine.Perform(rules.RuleSet.Rules[0], new Core.Secl.Evaluation.SeclEvent("exec"), evt, subject)!.Single()!;

        Assert.Equal(("refused", reason), ((string?)report["status"], (string?)report["reason"]));
        Assert.Null(report["killed_at"]);
        Assert.True(Directory.Exists($"/proc/{pid}"));
    }

    [Fact]
    public void Refusal_NamesEachSafeguard()
    {
        var canary = Path.Combine(Path.GetTempPath(), "vigil-allowed-miner");
        var safeguards = new Safeguards(new ProtectionOptions { AllowList = [canary], ExemptPids = [424242] });
        Assert.Equal("pid_1", safeguards.Refusal(1, 0, "/sbin/init"));
        Assert.Equal("kernel_thread", safeguards.Refusal(1234, 2, ""));
        Assert.Equal("agent", safeguards.Refusal(Environment.ProcessId, 1, "/usr/bin/dotnet"));
        Assert.Equal("agent_ancestor", safeguards.Refusal(424242, 1, "/bin/sh"));
        Assert.Equal("allow_list", safeguards.Refusal(99999, 1, canary));
        Assert.Null(safeguards.Refusal(99999, 1, "/tmp/xmrig"));
    }

    /// <summary>An allow-listed miner path: the kernel skips it and user space refuses, so it runs and the event says why.</summary>
    [RootFact]
    public async Task AllowListedExecutable_RunsAndTheRefusalIsReported()
    {
        var directory = Directory.CreateTempSubdirectory("vigilprot-allow-").FullName;
        var miner = Path.Combine(directory, "xmrig");
        CanaryBinary.Write(miner, miner + ".ran");
        await using var agent = ProtectionHarness.Start(new()
        {
            ["kill.policy"] = "rules:\n  - id: miner_killed\n    expression: exec.file.name == \"xmrig\"\n    actions:\n      - kill: { signal: SIGKILL }\n",
        }, new ProtectionOptions { AllowList = [miner] });
        Assert.Equal(ProtectionMechanism.EbpfKill, Assert.Single(agent.Engine!.Plan).Mechanism);

        var outcome = CanaryRun.Spawn(miner);

        Assert.True(ProtectionHarness.Ran(miner), "an allow-listed executable must run");
        Assert.Equal(0, outcome.ExitCode);
        var evt = await agent.WaitForAsync("miner_killed", e => ProtectionHarness.Pid(e) == outcome.Pid);
        Assert.Equal(("refused", "allow_list"), ((string?)ProtectionHarness.Action(evt)["status"], (string?)ProtectionHarness.Action(evt)["reason"]));
        Directory.Delete(directory, true);
    }

    private static string WritePolicy(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("vigilprot-policy-").FullName, "p.policy");
        File.WriteAllText(path, text);
        return path;
    }
}
