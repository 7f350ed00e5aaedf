using BenchmarkDotNet.Attributes;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Policy;

namespace Vigil.Benchmarks;

/// <summary>
/// Replays 100,000 events through the Datadog default policy v1.29.0 (163 Linux rules): the indexed
/// rule set against a naive evaluator that tests every rule on every event, in the same run.
/// Results are per event (OperationsPerInvoke); each category has its naive baseline, so the Ratio
/// column is indexed / naive. "Replay" writes each of 100,000 recorded events into a reused event and
/// evaluates it at once, as the agent does; "Cold" evaluates 100,000 event objects built beforehand
/// (each one a cache miss, as a worst case); "Hot" cycles 1,024 distinct events 98 times.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ReplayConfig))]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RuleEvaluationBenchmarks
{
    public const int EventCount = 100_000;

    private SeclRuleSet _rules = null!;
    private SeclEvent[] _events = null!;
    private SeclEvent[] _nonMatching = null!;
    private SeclEvent[] _hot = null!;
    private Recording _recorded = null!;
    private readonly SeclEvent _reused = new("exec");
    public const int HotPool = 1024;
    public const int HotRounds = 98;
    private readonly List<SeclRuleMatch> _matches = new(64);

    [GlobalSetup]
    public void Setup()
    {
        var result = SeclPolicyLoader.Load(new SeclPolicySource("default.policy", SeclPolicySources.File, File.ReadAllText(SharedTestData.PolicyPath())));
        _rules = result.RuleSet;
        _events = EventReplay.Create(EventCount, seed: 42);
        _nonMatching = EventReplay.Create(EventCount, seed: 7, includeMatching: false);
        _hot = EventReplay.Create(HotPool, seed: 11);
        _recorded = EventReplay.Record(EventCount, seed: 42);
        var tested = _rules.RulesTested;
        var matched = _events.Count(e => { _matches.Clear(); return _rules.Evaluate(e, _matches) > 0; });
        tested = _rules.RulesTested - tested;
        var naiveTested = _rules.RulesTested;
        foreach (var e in _events) { _matches.Clear(); _rules.EvaluateNaive(e, _matches); }
        naiveTested = _rules.RulesTested - naiveTested;
        Console.WriteLine($"// rules evaluated per event: indexed {tested / (double)EventCount:F2}, naive {naiveTested / (double)EventCount:F2}");
        var falsePositives = _nonMatching.Count(e => { _matches.Clear(); return _rules.Evaluate(e, _matches) > 0; });
        if (Environment.GetEnvironmentVariable("VIGIL_BENCH_DESCRIBE") == "1") Console.WriteLine(_rules.DescribeIndex());
        Console.WriteLine($"// {_rules.Rules.Count} rules loaded, {_rules.UnindexedRuleCount} without approver; {matched} of {EventCount} events match; {falsePositives} of the non-matching set match");
    }

    [BenchmarkCategory("Hot"), Benchmark(Baseline = true, OperationsPerInvoke = HotPool * HotRounds)]
    public int NaiveHot()
    {
        var total = 0;
        for (var round = 0; round < HotRounds; round++)
        {
            foreach (var evt in _hot)
            {
                _matches.Clear();
                total += _rules.EvaluateNaive(evt, _matches);
            }
        }
        return total;
    }

    [BenchmarkCategory("Hot"), Benchmark(OperationsPerInvoke = HotPool * HotRounds)]
    public int IndexedHot()
    {
        var total = 0;
        for (var round = 0; round < HotRounds; round++)
        {
            foreach (var evt in _hot)
            {
                _matches.Clear();
                total += _rules.Evaluate(evt, _matches);
            }
        }
        return total;
    }

    [BenchmarkCategory("Cold"), Benchmark(Baseline = true, OperationsPerInvoke = EventCount)]
    public int Naive()
    {
        var total = 0;
        foreach (var evt in _events)
        {
            _matches.Clear();
            total += _rules.EvaluateNaive(evt, _matches);
        }
        return total;
    }

    [BenchmarkCategory("Cold"), Benchmark(OperationsPerInvoke = EventCount)]
    public int Indexed()
    {
        var total = 0;
        foreach (var evt in _events)
        {
            _matches.Clear();
            total += _rules.Evaluate(evt, _matches);
        }
        return total;
    }

    // Replay as the agent evaluates: each recorded event is written into one reused event object with the typed
    // setters, then evaluated at once, while its values are in cache. The evaluation's cost is the difference from
    // WriteOnly (the same writes): ReplayIndexed − WriteOnly against ReplayNaive − WriteOnly.
    [BenchmarkCategory("Replay"), Benchmark(OperationsPerInvoke = EventCount)]
    public int WriteOnly()
    {
        var total = 0;
        for (var i = 0; i < _recorded.Count; i++) total += _recorded.WriteTo(i, _reused).EventType.Length;
        return total;
    }

    [BenchmarkCategory("Replay"), Benchmark(Baseline = true, OperationsPerInvoke = EventCount)]
    public int ReplayNaive()
    {
        var total = 0;
        for (var i = 0; i < _recorded.Count; i++)
        {
            _matches.Clear();
            total += _rules.EvaluateNaive(_recorded.WriteTo(i, _reused), _matches);
        }
        return total;
    }

    [BenchmarkCategory("Replay"), Benchmark(OperationsPerInvoke = EventCount)]
    public int ReplayIndexed()
    {
        var total = 0;
        for (var i = 0; i < _recorded.Count; i++)
        {
            _matches.Clear();
            total += _rules.Evaluate(_recorded.WriteTo(i, _reused), _matches);
        }
        return total;
    }

    /// <summary>Only events that match nothing: the allocation figure here is the "0 B/event" goal.</summary>
    [BenchmarkCategory("NonMatching"), Benchmark(OperationsPerInvoke = EventCount)]
    public int IndexedNonMatching()
    {
        var total = 0;
        foreach (var evt in _nonMatching)
        {
            _matches.Clear();
            total += _rules.Evaluate(evt, _matches);
        }
        return total;
    }

    /// <summary>As a fresh event from the agent: computed fields (exec.args ...) are not cached yet.</summary>
    [BenchmarkCategory("NonMatching"), Benchmark(OperationsPerInvoke = EventCount)]
    public int IndexedNonMatchingFreshEvents()
    {
        var total = 0;
        foreach (var evt in _nonMatching)
        {
            evt.ClearAllDerived();
            _matches.Clear();
            total += _rules.Evaluate(evt, _matches);
        }
        return total;
    }
}

/// <summary>Adds the Replay category's evaluation ratio (writes taken out) to the summary table.</summary>
public sealed class ReplayConfig : BenchmarkDotNet.Configs.ManualConfig
{
    public ReplayConfig() => AddColumn(new EvaluationRatioColumn());
}

internal static class SharedTestData
{
    /// <summary>Walks up to the folder holding Platform.sln; the test data is under tests/testdata/datadog.</summary>
    public static string PolicyPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln"))) directory = directory.Parent;
        if (directory?.Parent is null) throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
        return Path.Combine(directory.FullName, "tests", "testdata", "datadog", "datadog-default-policy-1.29.0.policy");
    }
}
