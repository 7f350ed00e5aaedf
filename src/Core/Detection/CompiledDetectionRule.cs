using Vigil.Core.Domain;
using Vigil.Core.Query;
using Vigil.Core.Query.Evaluation;

namespace Vigil.Core.Detection;

/// <summary>A named query compiled for matching; cardinality counts distinct values of <see cref="DistinctField"/>.</summary>
public sealed record CompiledRuleQuery(string Name, CompiledQuery Query, bool Cardinality, QueryField? DistinctField);

/// <summary>A threshold case ready to evaluate.</summary>
public sealed record CompiledRuleCase(string? Name, CaseCondition Condition, Severity Severity);

/// <summary>
/// A validated detection rule, compiled once and evaluated against every event of its organization.
/// <see cref="SingleSeverity"/> is the severity of new-value and sequence rules (thresholds have cases).
/// </summary>
public sealed record CompiledDetectionRule(
    Guid Id,
    int Version,
    DetectionRuleDefinition Definition,
    IReadOnlyList<CompiledRuleQuery> Queries,
    IReadOnlyList<QueryField> GroupBy,
    IReadOnlyList<CompiledRuleCase> Cases,
    QueryField? NewValueField,
    Severity SingleSeverity,
    DateTime CreatedAt)
{
    public RuleOptions Options => Definition.Options;
}
