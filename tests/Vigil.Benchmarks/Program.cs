using System.Diagnostics;
using BenchmarkDotNet.Running;

namespace Vigil.Benchmarks;

public static class Program
{
    /// <summary>
    /// BenchmarkDotNet by default; <c>--quick</c> runs a few timed passes without it (a smoke check
    /// that takes seconds, for a shared machine).
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Contains("--quick"))
        {
            Quick();
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void Quick()
    {
        var benchmarks = new RuleEvaluationBenchmarks();
        benchmarks.Setup();
        var all = (Vigil.Core.Secl.Evaluation.SeclRuleSet)typeof(RuleEvaluationBenchmarks).GetField("_rules", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(benchmarks)!;
        var hot = (Vigil.Core.Secl.Evaluation.SeclEvent[])typeof(RuleEvaluationBenchmarks).GetField("_hot", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(benchmarks)!;
        var execs = hot.Where(e => e.EventType == "exec").ToArray();
        var ruleList = all.Rules.ToList();
        void Measure(string name, Func<Vigil.Core.Secl.Evaluation.SeclRule, bool> keep)
        {
            var set = new Vigil.Core.Secl.Evaluation.SeclRuleSet(ruleList.Where(keep));
            var m = new List<Vigil.Core.Secl.Evaluation.SeclRuleMatch>();
            for (int k = 0; k < 100; k++) foreach (var e in execs) { m.Clear(); set.Evaluate(e, m); }
            var w = Stopwatch.StartNew();
            for (int k = 0; k < 300; k++) foreach (var e in execs) { m.Clear(); set.Evaluate(e, m); }
            Console.WriteLine($"{name}: {w.Elapsed.TotalNanoseconds / execs.Length / 300:F0} ns");
        }
        Measure("all", _ => true);
        Measure("no unindexed", r => r.Compiled.Approver is not null);
        Measure("only unindexed", r => r.Compiled.Approver is null);
        Measure("exact only", r => r.Compiled.Approver is { } a && a.Terms.All(t => t.Kind == Vigil.Core.Secl.Binding.SeclApproverKind.Exact));
        Measure("exact noniterated scalar only", r => r.Compiled.Approver is { } a && a.Terms.All(t => t.Kind == Vigil.Core.Secl.Binding.SeclApproverKind.Exact && t.Field.Iterator is null && !t.Field.IsList));
        Measure("none", _ => false);
        new Vigil.Core.Secl.Evaluation.SeclRuleSet(ruleList);
        for (var pass = 0; pass < 5; pass++)
        {
            var naive = Time(benchmarks.Naive);
            var indexed = Time(benchmarks.Indexed);
            var nonMatching = Time(benchmarks.IndexedNonMatching);
            var naiveHot = Time(benchmarks.NaiveHot, RuleEvaluationBenchmarks.HotPool * RuleEvaluationBenchmarks.HotRounds);
            var indexedHot = Time(benchmarks.IndexedHot, RuleEvaluationBenchmarks.HotPool * RuleEvaluationBenchmarks.HotRounds);
            Console.WriteLine($"pass {pass}: cold: naive {naive:F0} ns/event, indexed {indexed:F0} ns/event (ratio {indexed / naive:F3}), indexed non-matching {nonMatching:F0} ns/event; " +
                $"hot: naive {naiveHot:F0} ns/event, indexed {indexedHot:F0} ns/event (ratio {indexedHot / naiveHot:F3})");
        }
    }

    private static double Time(Func<int> run, int events = RuleEvaluationBenchmarks.EventCount)
    {
        var watch = Stopwatch.StartNew();
        run();
        return watch.Elapsed.TotalNanoseconds / events;
    }
}
