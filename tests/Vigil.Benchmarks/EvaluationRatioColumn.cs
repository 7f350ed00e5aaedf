using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Vigil.Benchmarks;

/// <summary>
/// The Replay category's ratio with the writes taken out: (ReplayIndexed − WriteOnly) / (ReplayNaive − WriteOnly),
/// the cost of evaluating a just-written event, indexed against naive. BenchmarkDotNet's Ratio column divides whole
/// means, writes included. Medians, so that one iteration slowed by a garbage collection does not move it.
/// </summary>
public sealed class EvaluationRatioColumn : IColumn
{
    public string Id => nameof(EvaluationRatioColumn);
    public string ColumnName => "Eval ratio";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Replay only: (median − WriteOnly) / (ReplayNaive − WriteOnly), medians, the evaluation without the writes";

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        if (method is not (nameof(RuleEvaluationBenchmarks.ReplayIndexed) or nameof(RuleEvaluationBenchmarks.ReplayNaive))) return "-";
        var median = Median(summary, method);
        var write = Median(summary, nameof(RuleEvaluationBenchmarks.WriteOnly));
        var naive = Median(summary, nameof(RuleEvaluationBenchmarks.ReplayNaive));
        if (median is null || write is null || naive is null || naive <= write) return "?";
        return ((median.Value - write.Value) / (naive.Value - write.Value)).ToString("F3", CultureInfo.InvariantCulture);
    }

    private static double? Median(Summary summary, string method) =>
        summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Median;
}
