using Vigil.Core.Domain;
using Vigil.Core.Query;
using Vigil.Core.Query.Evaluation;
using Vigil.Core.Query.Syntax;

namespace Vigil.Core.Detection;

/// <summary>
/// Validates a rule definition and compiles it. Every problem is reported under the JSON path of the
/// field it concerns (<c>queries[0].query</c>, <c>cases[1].condition</c>) with a position where there is one;
/// a rule with any error is not compiled, so nothing half-valid is ever saved or run.
/// </summary>
public static class DetectionRuleCompiler
{
    public const int MaxQueries = 10;
    public const int MaxCases = 10;
    public const int MaxGroupBy = 5;
    public const int MaxTags = 50;
    public const int MaxNameLength = 300;
    public const int MaxMessageLength = 20_000;
    private const int MaxWindowSeconds = 7 * 86400;

    public static (CompiledDetectionRule? Rule, Dictionary<string, string[]> Errors) Compile(
        DetectionRuleDefinition definition, Guid id, int version, DateTime createdAt)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string path, string message) => errors[path] = [message];

        if (string.IsNullOrWhiteSpace(definition.Name) || definition.Name.Length > MaxNameLength)
            Error("name", $"name is required (at most {MaxNameLength} characters).");
        if (definition.Message.Length > MaxMessageLength)
            Error("message", $"message is longer than {MaxMessageLength} characters.");
        if (definition.Tags.Count > MaxTags || definition.Tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 200))
            Error("tags", $"tags: at most {MaxTags}, each non-empty and at most 200 characters.");

        var queries = CompileQueries(definition.Queries, Error);
        var names = queries.Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
        var groupBy = CompileFields(definition.GroupBy, "group_by", MaxGroupBy, Error);
        CheckOptions(definition.Options, Error);

        var cases = new List<CompiledRuleCase>();
        QueryField? newValueField = null;
        var singleSeverity = Severity.Medium;
        switch (definition.Method)
        {
            case DetectionMethod.Threshold:
                cases = CompileCases(definition.Cases, names, Error);
                break;
            case DetectionMethod.NewValue:
                if (definition.Options.NewValue is not { } newValue || string.IsNullOrWhiteSpace(newValue.Field))
                    Error("options.new_value.field", "a new value rule needs options.new_value.field.");
                else
                {
                    newValueField = QueryField.Parse(newValue.Field.Trim());
                    if (!SeverityNames.TryParse(newValue.Status, out singleSeverity))
                        Error("options.new_value.status", "status must be info, low, medium, high or critical.");
                    if (newValue.LearningDurationSeconds < 0 || newValue.ForgetAfterSeconds <= 0)
                        Error("options.new_value", "learning_duration_seconds must be >= 0 and forget_after_seconds > 0.");
                }
                break;
            case DetectionMethod.Sequence:
                if (definition.Options.Sequence is not { Steps.Count: >= 2 } sequence)
                    Error("options.sequence.steps", "a sequence rule needs at least two steps (query names in order).");
                else
                {
                    for (var i = 0; i < sequence.Steps.Count; i++)
                        if (!names.Contains(sequence.Steps[i]))
                            Error($"options.sequence.steps[{i}]", $"'{sequence.Steps[i]}' is not the name of a query of this rule.");
                    if (sequence.WindowSeconds is <= 0 or > MaxWindowSeconds)
                        Error("options.sequence.window_seconds", $"window_seconds must be between 1 and {MaxWindowSeconds}.");
                    if (!SeverityNames.TryParse(sequence.Status, out singleSeverity))
                        Error("options.sequence.status", "status must be info, low, medium, high or critical.");
                }
                break;
            default:
                Error("method", "method must be threshold, new_value or sequence.");
                break;
        }

        if (errors.Count > 0)
            return (null, errors);
        return (new CompiledDetectionRule(id, version, definition, queries, groupBy, cases, newValueField, singleSeverity, createdAt), errors);
    }

    private static List<CompiledRuleQuery> CompileQueries(IReadOnlyList<RuleQuery> queries, Action<string, string> error)
    {
        var compiled = new List<CompiledRuleQuery>();
        if (queries.Count is 0 or > MaxQueries)
        {
            error("queries", $"a rule needs between 1 and {MaxQueries} queries.");
            return compiled;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            var path = $"queries[{i}]";
            if (string.IsNullOrWhiteSpace(q.Name) || q.Name.Length > 32 || !q.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || !seen.Add(q.Name))
            {
                error($"{path}.name", "name is required: a unique identifier of letters, digits and _ (at most 32).");
                continue;
            }
            if (!QueryCompiler.TryCompile(q.Query, out var query, out var diagnostics))
            {
                error($"{path}.query", string.Join("; ", QueryDiagnostic.Describe(diagnostics)));
                continue;
            }
            var cardinality = string.Equals(q.Aggregation, "cardinality", StringComparison.Ordinal);
            if (!cardinality && !string.Equals(q.Aggregation, "count", StringComparison.Ordinal))
            {
                error($"{path}.aggregation", "aggregation must be count or cardinality.");
                continue;
            }
            if (cardinality && string.IsNullOrWhiteSpace(q.DistinctField))
            {
                error($"{path}.distinct_field", "a cardinality query needs distinct_field.");
                continue;
            }
            compiled.Add(new CompiledRuleQuery(q.Name, query, cardinality, cardinality ? QueryField.Parse(q.DistinctField!.Trim()) : null));
        }
        return compiled;
    }

    private static List<QueryField> CompileFields(IReadOnlyList<string> fields, string path, int max, Action<string, string> error)
    {
        if (fields.Count > max)
        {
            error(path, $"at most {max} group-by fields.");
            return [];
        }
        var compiled = new List<QueryField>();
        for (var i = 0; i < fields.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(fields[i]) || fields[i].Length > 200 || fields[i].Trim().Contains(' ', StringComparison.Ordinal))
                error($"{path}[{i}]", "a group-by field is a name like host or @process.executable.path.");
            else
                compiled.Add(QueryField.Parse(fields[i].Trim()));
        }
        return compiled;
    }

    private static List<CompiledRuleCase> CompileCases(IReadOnlyList<RuleCase> cases, IReadOnlySet<string> names, Action<string, string> error)
    {
        var compiled = new List<CompiledRuleCase>();
        if (cases.Count is 0 or > MaxCases)
        {
            error("cases", $"a threshold rule needs between 1 and {MaxCases} cases.");
            return compiled;
        }
        for (var i = 0; i < cases.Count; i++)
        {
            var condition = CaseCondition.Parse(cases[i].Condition, names, out var problem);
            if (condition is null)
                error($"cases[{i}].condition", $"{problem}.");
            if (!SeverityNames.TryParse(cases[i].Status, out var severity))
                error($"cases[{i}].status", "status must be info, low, medium, high or critical.");
            if (condition is not null)
                compiled.Add(new CompiledRuleCase(cases[i].Name, condition, severity));
        }
        return compiled;
    }

    private static void CheckOptions(RuleOptions options, Action<string, string> error)
    {
        if (options.EvaluationWindowSeconds is <= 0 or > MaxWindowSeconds)
            error("options.evaluation_window_seconds", $"evaluation_window_seconds must be between 1 and {MaxWindowSeconds}.");
        if (options.KeepAliveSeconds is <= 0 or > MaxWindowSeconds)
            error("options.keep_alive_seconds", $"keep_alive_seconds must be between 1 and {MaxWindowSeconds}.");
        if (options.MaxSignalDurationSeconds <= 0 || options.MaxSignalDurationSeconds > 30 * 86400)
            error("options.max_signal_duration_seconds", "max_signal_duration_seconds must be between 1 and 2592000.");
    }
}
