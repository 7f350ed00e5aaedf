using Vigil.Agent.Protection;
using Vigil.Agent.Tests.Kernel;

namespace Vigil.Agent.Tests.Protection;

/// <summary>
/// The out-of-the-box crypto-mining rules against a miner-named canary run with stratum arguments, on the real
/// kernel: in Blocking mode its first instruction (creating a marker file) never runs; in Monitoring mode it runs
/// and the rules report it. One test per mechanism.
/// </summary>
[Collection("protection")]
public sealed class ActiveProtectionTests
{
    private static readonly string[] StratumArgs = ["-o", "stratum+tcp://pool.example:3333", "-u", "wallet"];

    private static Dictionary<string, string> Content(bool blocking) => new()
    {
        ["macros.policy"] = File.ReadAllText(ProtectionHarness.MacrosPolicy),
        ["cryptomining.policy"] = blocking ? ProtectionHarness.Blocking(File.ReadAllText(ProtectionHarness.CryptominingPolicy)) : File.ReadAllText(ProtectionHarness.CryptominingPolicy),
    };

    [RootFact]
    public async Task BlockingContent_MinerByName_IsKilledInTheKernelBeforeItRuns()
    {
        await using var agent = ProtectionHarness.Start(Content(blocking: true));
        var miner = agent.Canary("xmrig");

        var outcome = CanaryRun.Spawn(miner, StratumArgs);

        Assert.False(ProtectionHarness.Ran(miner), "the miner's first instruction ran");
        Assert.Equal(9, outcome.Signal);
        var evt = await agent.WaitForAsync("cryptominer_executed", e => ProtectionHarness.Pid(e) == outcome.Pid);
        var action = ProtectionHarness.Action(evt);
        Assert.Equal(("kill", "SIGKILL", "performed", "ebpf_kill"), ((string?)action["type"], (string?)action["signal"], (string?)action["status"], (string?)action["mechanism"]));
        AgentEventSchema.AssertValid(evt);
        // The stratum rule matched the same exec: one kill, the second rule says so.
        var second = await agent.WaitForAsync("cryptominer_stratum_arguments", e => ProtectionHarness.Pid(e) == outcome.Pid);
        Assert.Equal("not_performed", (string?)ProtectionHarness.Action(second)["status"]);
    }

    [RootFact]
    public async Task BlockingStratumRule_MinerByArgv_IsHeldThenKilledBeforeItRuns()
    {
        var policy = ProtectionHarness.Blocking(File.ReadAllText(ProtectionHarness.CryptominingPolicy));
        await using var agent = ProtectionHarness.Start(new() { ["macros.policy"] = File.ReadAllText(ProtectionHarness.MacrosPolicy), ["stratum.policy"] = OnlyRule(policy, "cryptominer_stratum_arguments") });
        Assert.Equal(ProtectionMechanism.Hold, Assert.Single(agent.Engine!.Plan).Mechanism);
        var miner = agent.Canary("xmrig");
        var innocent = agent.Canary("grep", "tools"); // excluded by the rule: held, then resumed

        var killed = CanaryRun.Spawn(miner, StratumArgs);
        var resumed = CanaryRun.Spawn(innocent, StratumArgs);

        Assert.False(ProtectionHarness.Ran(miner), "the miner's first instruction ran");
        Assert.Equal(9, killed.Signal);
        Assert.True(ProtectionHarness.Ran(innocent), "a process the rule does not match must run");
        Assert.Equal(0, resumed.ExitCode);
        var evt = await agent.WaitForAsync("cryptominer_stratum_arguments", e => ProtectionHarness.Pid(e) == killed.Pid);
        var action = ProtectionHarness.Action(evt);
        Assert.Equal(("performed", "hold"), ((string?)action["status"], (string?)action["mechanism"]));
        Assert.True(action["latency_us"]!.GetValue<double>() > 0);
        Assert.True(agent.Engine.StatusLines().Any(l => l.Contains("held and resumed 1", StringComparison.Ordinal)), string.Join("\n", agent.Engine.StatusLines()));
    }

    [RootFact]
    public async Task BlockAction_MinerByName_ExecIsDeniedByFanotify()
    {
        await using var agent = ProtectionHarness.Start(new()
        {
            ["macros.policy"] = File.ReadAllText(ProtectionHarness.MacrosPolicy),
            ["block.policy"] = "rules:\n  - id: miner_blocked\n    description: miner exec denied\n    expression: exec.file.name in VIGIL_MINER_NAMES\n    actions:\n      - block: {}\n",
        });
        Assert.Equal(ProtectionMechanism.FanotifyBlock, Assert.Single(agent.Engine!.Plan).Mechanism);
        var miner = agent.Canary("xmrig");

        var outcome = CanaryRun.Spawn(miner, StratumArgs);

        Assert.True(outcome.Denied, $"execve should fail with EPERM, got {outcome}");
        Assert.False(ProtectionHarness.Ran(miner), "the miner's first instruction ran");
        var evt = await agent.WaitForAsync("miner_blocked", e => (string?)e["file"]?["path"] == miner);
        Assert.Equal("blocked", (string?)evt["evt"]!["outcome"]);
        var action = ProtectionHarness.Action(evt);
        Assert.Equal(("block", "performed", "fanotify"), ((string?)action["type"], (string?)action["status"], (string?)action["mechanism"]));
        Assert.Equal(Environment.ProcessId, evt["process"]!["ppid"]!.GetValue<int>()); // the caller: the spawning child of this test host
        AgentEventSchema.AssertValid(evt);
    }

    [RootFact]
    public async Task BlockAction_ByHash_DeniesThatBinaryOnly()
    {
        var directory = Directory.CreateTempSubdirectory("vigilprot-hash-").FullName;
        var (known, other) = (Path.Combine(directory, "known-xmrig"), Path.Combine(directory, "other-xmrig"));
        CanaryBinary.Write(known, known + ".ran");
        CanaryBinary.Write(other, other + ".ran"); // other content: its marker path differs
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(known)));
        await using var hashAgent = ProtectionHarness.Start(new()
        {
            ["hash.policy"] = $"rules:\n  - id: miner_hash_blocked\n    expression: exec.file.hashes in [\"sha256:{sha256}\"]\n    actions:\n      - block: {{}}\n",
        });

        var denied = CanaryRun.Spawn(known);
        var allowed = CanaryRun.Spawn(other);

        Assert.True(denied.Denied, $"the known binary should be denied, got {denied}");
        Assert.False(ProtectionHarness.Ran(known));
        Assert.Equal(0, allowed.ExitCode);
        Assert.True(ProtectionHarness.Ran(other), "a binary with another hash must run");
        await hashAgent.WaitForAsync("miner_hash_blocked", e => (string?)e["file"]?["path"] == known);
        Directory.Delete(directory, true);
    }

    [RootFact]
    public async Task MonitoringContent_Miner_RunsAndIsReportedWithoutAction()
    {
        await using var agent = ProtectionHarness.Start(Content(blocking: false));
        Assert.Null(agent.Engine); // no rule carries an action: monitoring only
        var miner = agent.Canary("xmrig");

        var outcome = CanaryRun.Spawn(miner, StratumArgs);

        Assert.True(ProtectionHarness.Ran(miner), "in monitoring mode the miner runs");
        Assert.Equal(0, outcome.ExitCode);
        var evt = await agent.WaitForAsync("cryptominer_stratum_arguments", e => ProtectionHarness.Pid(e) == outcome.Pid);
        Assert.Null(evt["agent"]!["rule_actions"]);
        Assert.Equal(["-o", "stratum+tcp://pool.example:3333", "-u", "wallet"], evt["process"]!["args"]!.AsArray().Select(a => (string?)a));
        await agent.WaitForAsync("cryptominer_executed", e => ProtectionHarness.Pid(e) == outcome.Pid);
    }

    /// <summary>The policy with only one rule kept (its macros stay available from macros.policy).</summary>
    private static string OnlyRule(string policy, string id)
    {
        var start = policy.IndexOf($"  - id: {id}\n", StringComparison.Ordinal);
        var end = policy.IndexOf("\n  - id: ", start + 1, StringComparison.Ordinal);
        return "rules:\n" + policy[start..(end < 0 ? policy.Length : end + 1)];
    }
}
