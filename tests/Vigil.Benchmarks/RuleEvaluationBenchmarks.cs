using BenchmarkDotNet.Attributes;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Policy;

namespace Vigil.Benchmarks;

/// <summary>
/// Replays 100,000 events through the Datadog default policy v1.29.0 (163 Linux rules): the indexed
/// rule set against a naive evaluator that tests every rule on every event, in the same run.
/// Results are per event (OperationsPerInvoke). "Cold" replays 100,000 distinct event objects (each
/// one a cache miss, as a worst case); "Hot" cycles 1,024 distinct events 98 times, closer to an
/// agent that evaluates the event it has just filled.
/// </summary>
[MemoryDiagnoser]
public class RuleEvaluationBenchmarks
{
    public const int EventCount = 100_000;

    private SeclRuleSet _rules = null!;
    private SeclEvent[] _events = null!;
    private SeclEvent[] _nonMatching = null!;
    private SeclEvent[] _hot = null!;
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

    [Benchmark(OperationsPerInvoke = HotPool * HotRounds)]
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

    [Benchmark(OperationsPerInvoke = HotPool * HotRounds)]
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

    [Benchmark(Baseline = true, OperationsPerInvoke = EventCount)]
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

    [Benchmark(OperationsPerInvoke = EventCount)]
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

    // The agent's own pattern on 100,000 distinct events: each event is filled and evaluated at once, while the
    // values just written are in cache. The evaluation's cost is the difference from FillOnly (the same events,
    // from the same seed): FillAndIndexed − FillOnly against FillAndNaive − FillOnly.
    public const int FillSeed = 42;

    [Benchmark(OperationsPerInvoke = EventCount)]
    public int FillOnly()
    {
        var random = new Random(FillSeed);
        var total = 0;
        for (var i = 0; i < EventCount; i++)
            total += EventReplay.Next(random).EventType.Length;
        return total;
    }

    [Benchmark(OperationsPerInvoke = EventCount)]
    public int FillAndNaive()
    {
        var random = new Random(FillSeed);
        var total = 0;
        for (var i = 0; i < EventCount; i++)
        {
            _matches.Clear();
            total += _rules.EvaluateNaive(EventReplay.Next(random), _matches);
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = EventCount)]
    public int FillAndIndexed()
    {
        var random = new Random(FillSeed);
        var total = 0;
        for (var i = 0; i < EventCount; i++)
        {
            _matches.Clear();
            total += _rules.Evaluate(EventReplay.Next(random), _matches);
        }
        return total;
    }

    /// <summary>Only events that match nothing: the allocation figure here is the "0 B/event" goal.</summary>
    [Benchmark(OperationsPerInvoke = EventCount)]
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
    [Benchmark(OperationsPerInvoke = EventCount)]
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
