using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Rules;

namespace Vigil.Agent.Protection;

/// <summary>
/// <c>vigil-agent protect bench [--runs N]</c>: spawns a miner-named canary (its first instructions create a marker
/// file) N times per mechanism and prints p50/p99 of spawn → end (exit, kill or EPERM, seen by the parent) and of
/// the agent's exec → action latency, plus how many canaries ran their first instruction. Root only.
/// </summary>
public static class ProtectionBench
{
    private const string StratumArg = "stratum+tcp://pool.example:3333";

    private const string Bystander = "rules:\n"
        + "  - id: bench_block\n    expression: exec.file.name == \"not-this-one\"\n    actions:\n      - block: {}\n"
        + "  - id: bench_name\n    expression: exec.file.name == \"not-this-one-either\"\n    actions:\n      - kill: { signal: SIGKILL }\n"
        + "  - id: bench_argv\n    expression: 'exec.args in [~\"*stratum+tcp://*\"]'\n    actions:\n      - kill: { signal: SIGKILL }\n";

    private sealed record Case(string Name, string? Policy, ProtectionOptions Options, string[] Args);

    public static async Task<int> RunAsync(int runs, TextWriter stdout, TextWriter stderr)
    {
        if (Interop.Libc.GetEuid() != 0)
        {
            stderr.WriteLine("vigil-agent: protect bench needs root (eBPF, fanotify)");
            return 2;
        }
        var directory = Directory.CreateTempSubdirectory("vigil-protect-bench-").FullName;
        try
        {
            var canary = Path.Combine(directory, "xmrig");
            CanaryBinary.Write(canary, canary + ".ran");
            // The bench acts on one executable hundreds of times a second: lift the rate limit, keep the disarmer.
            var fast = new ProtectionOptions { MaxActionsPerSecond = 1_000_000 };
            var byName = "rules:\n  - id: bench\n    expression: exec.file.name == \"xmrig\"\n    actions:\n      - {0}\n";
            Case[] cases =
            [
                new("none (runs to exit)", null, fast, []),
                new("fanotify_block", string.Format(CultureInfo.InvariantCulture, byName, "block: {}"), fast, []),
                new("ebpf_kill", string.Format(CultureInfo.InvariantCulture, byName, "kill: { signal: SIGKILL }"), fast, []),
                new("hold (argv rule)", "rules:\n  - id: bench\n    expression: 'exec.args in [~\"*stratum+tcp://*\"]'\n    actions:\n      - kill: { signal: SIGKILL }\n", fast, ["-o", StratumArg]),
                new("user_space kill", string.Format(CultureInfo.InvariantCulture, byName, "kill: { signal: SIGKILL }"), fast with { UseEbpf = false, UseFanotify = false }, []),
                // What every other exec on the host pays: the kernel parts loaded, a canary none of them selects.
                new("bystander, eBPF guard", Bystander, fast with { UseFanotify = false }, ["-o", "pool.example:3333"]),
                new("bystander, guard+gate", Bystander, fast, ["-o", "pool.example:3333"]),
            ];
            stdout.WriteLine($"{"mechanism",-22} {"runs",5} {"ran",5}  {"spawn→end p50",14} {"p99",9}  {"exec→action p50",16} {"p99",9}");
            foreach (var c in cases) await RunCaseAsync(c, canary, directory, runs, stdout);
            return 0;
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    private static async Task RunCaseAsync(Case c, string canary, string directory, int runs, TextWriter stdout)
    {
        var events = new ConcurrentQueue<JsonObject>();
        ProtectionEngine? engine = null;
        KernelPipeline? pipeline = null;
        if (c.Policy is not null)
        {
            var policy = Path.Combine(directory, "bench.policy");
            await File.WriteAllTextAsync(policy, c.Policy);
            var rules = RuleHost.Load([policy]);
            engine = ProtectionStartup.Start(rules, events.Enqueue, _ => { }, c.Options);
            pipeline = new KernelPipeline(rules, events.Enqueue, new PipelineOptions { ProcessProbe = ProbeSelection.Ebpf, Actions = engine });
            pipeline.Start();
        }
        var elapsed = new List<double>();
        var ran = 0;
        for (var i = -5; i < runs; i++) // five warm-up runs (JIT) are not counted
        {
            File.Delete(canary + ".ran");
            var outcome = CanaryRun.Spawn(canary, c.Args);
            if (i < 0) continue;
            elapsed.Add(outcome.ElapsedMicroseconds);
            if (File.Exists(canary + ".ran")) ran++;
            if (c.Name.StartsWith("user_space", StringComparison.Ordinal)) await Task.Delay(2); // let the pipeline keep up: one exec at a time
        }
        await Task.Delay(500);
        var latencies = events.Skip(Math.Max(0, events.Count - runs)) // the warm-up runs' events come first
            .Select(e => e["agent"]?["rule_actions"]?.AsArray().FirstOrDefault()?["latency_us"]?.GetValue<double>()).OfType<double>().ToList();
        if (pipeline is not null) await pipeline.DisposeAsync();
        engine?.Dispose();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{c.Name,-22} {runs,5} {ran,5}  {Percentile(elapsed, 50),11:0} µs {Percentile(elapsed, 99),6:0} µs  {Format(latencies, 50),16} {Format(latencies, 99),9}"));
    }

    private static string Format(List<double> values, int percentile) =>
        values.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Percentile(values, percentile):0} µs");

    private static double Percentile(List<double> values, int percentile)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
