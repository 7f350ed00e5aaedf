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
        if (args.Length == 3 && args[0] == "--loop")
        {
            Loop(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void Quick()
    {
        var benchmarks = new RuleEvaluationBenchmarks();
        benchmarks.Setup();
        // Minimums over the passes as well: on a shared machine noise only ever adds time.
        double bestNaive = double.MaxValue, bestIndexed = double.MaxValue, bestNaiveHot = double.MaxValue, bestIndexedHot = double.MaxValue;
        for (var pass = 0; pass < 5; pass++)
        {
            var naive = Time(benchmarks.Naive);
            var indexed = Time(benchmarks.Indexed);
            var nonMatching = Time(benchmarks.IndexedNonMatching);
            var naiveHot = Time(benchmarks.NaiveHot, RuleEvaluationBenchmarks.HotPool * RuleEvaluationBenchmarks.HotRounds);
            var indexedHot = Time(benchmarks.IndexedHot, RuleEvaluationBenchmarks.HotPool * RuleEvaluationBenchmarks.HotRounds);
            var write = Time(benchmarks.WriteOnly);
            var replayNaive = Time(benchmarks.ReplayNaive) - write;
            var replayIndexed = Time(benchmarks.ReplayIndexed) - write;
            Console.WriteLine($"pass {pass}: cold: naive {naive:F0} ns/event, indexed {indexed:F0} ns/event (ratio {indexed / naive:F3}), indexed non-matching {nonMatching:F0} ns/event; " +
                $"hot: naive {naiveHot:F0} ns/event, indexed {indexedHot:F0} ns/event (ratio {indexedHot / naiveHot:F3}); " +
                $"replay (write {write:F0} ns/event subtracted): naive {replayNaive:F0}, indexed {replayIndexed:F0} ns/event (ratio {replayIndexed / replayNaive:F3})");
            (bestNaive, bestIndexed) = (Math.Min(bestNaive, naive), Math.Min(bestIndexed, indexed));
            (bestNaiveHot, bestIndexedHot) = (Math.Min(bestNaiveHot, naiveHot), Math.Min(bestIndexedHot, indexedHot));
        }
        Console.WriteLine($"best of 5: cold {bestIndexed:F0} / {bestNaive:F0} ns/event = {bestIndexed / bestNaive:F3}; hot {bestIndexedHot:F0} / {bestNaiveHot:F0} ns/event = {bestIndexedHot / bestNaiveHot:F3}");
    }

    /// <summary><c>--loop METHOD SECONDS</c>: runs one benchmark method over and over, for a profiler to attach to.</summary>
    private static void Loop(string method, int seconds)
    {
        var benchmarks = new RuleEvaluationBenchmarks();
        benchmarks.Setup();
        var run = typeof(RuleEvaluationBenchmarks).GetMethod(method) ?? throw new ArgumentException($"no benchmark method `{method}`");
        var body = run.CreateDelegate<Func<int>>(benchmarks);
        Console.WriteLine($"// looping {method} for {seconds} s, pid {Environment.ProcessId}");
        var watch = Stopwatch.StartNew();
        var passes = 0;
        while (watch.Elapsed.TotalSeconds < seconds) { body(); passes++; }
        Console.WriteLine($"// {passes} passes");
    }

    private static double Time(Func<int> run, int events = RuleEvaluationBenchmarks.EventCount)
    {
        var watch = Stopwatch.StartNew();
        run();
        return watch.Elapsed.TotalNanoseconds / events;
    }
}
