using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Protection;
using Vigil.Agent.Rules;
using Vigil.Agent.Tests.Kernel;
using Vigil.Core.Secl.Policy;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Protection;

/// <summary>
/// A policy swapped in while the agent runs (what remote configuration does when an organization turns the
/// crypto-mining rules to Blocking) is enforced without a restart, on the real kernel.
/// </summary>
[Collection("protection")]
public sealed class FollowingProtectionTests
{
    private static readonly string[] StratumArgs = ["-o", "stratum+tcp://pool.example:3333"];

    [RootFact]
    public async Task MonitoringPolicySwappedForBlocking_TheNextMinerNeverRuns()
    {
        var directory = Directory.CreateTempSubdirectory("vigilfollow-").FullName;
        try
        {
            var macros = File.ReadAllText(ProtectionHarness.MacrosPolicy);
            var mining = File.ReadAllText(ProtectionHarness.CryptominingPolicy);
            var monitoring = Write(directory, "monitoring", macros, mining);
            var blocking = Write(directory, "blocking", macros, ProtectionHarness.Blocking(mining));
            var rules = RuleHost.Load(monitoring);
            var events = new ConcurrentQueue<JsonObject>();
            var log = new ConcurrentQueue<string>();
            using var protection = new FollowingProtection(rules, events.Enqueue, log.Enqueue);
            await using var pipeline = new KernelPipeline(rules, (JsonObject e) => events.Enqueue(e),
                new PipelineOptions { ProcessProbe = ProbeSelection.Ebpf, Actions = protection });
            pipeline.Start();
            Assert.Null(protection.Engine);

            var monitored = Canary(directory, "before", "xmrig");
            var ran = CanaryRun.Spawn(monitored, StratumArgs);
            Assert.True(File.Exists(monitored + ".ran"), "in Monitoring mode the miner runs");
            Assert.Equal(0, ran.ExitCode);

            rules.Swap(SeclPolicyTool.Check(blocking));
            await Eventually.TrueAsync(() =>
            {
                CanaryRun.Spawn("/bin/true", []); // any event lets the pipeline notice the new rule set
                return Task.FromResult(protection.Engine is not null);
            }, "protection planned for the swapped policy");
            var blocked = Canary(directory, "after", "xmrig");
            var killed = CanaryRun.Spawn(blocked, StratumArgs);

            Assert.False(File.Exists(blocked + ".ran"), "after the swap to Blocking the miner's first instruction ran; log: " + string.Join(" | ", log));
            Assert.Equal(9, killed.Signal);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    private static string[] Write(string directory, string name, string macros, string mining)
    {
        var folder = Directory.CreateDirectory(Path.Combine(directory, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "macros.policy"), macros);
        File.WriteAllText(Path.Combine(folder, "cryptomining.policy"), mining);
        return [Path.Combine(folder, "macros.policy"), Path.Combine(folder, "cryptomining.policy")];
    }

    private static string Canary(string directory, string subdirectory, string name)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(directory, subdirectory)).FullName, name);
        CanaryBinary.Write(path, path + ".ran");
        return path;
    }
}
