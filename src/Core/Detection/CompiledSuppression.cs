using Vigil.Core.Query.Evaluation;

namespace Vigil.Core.Detection;

/// <summary>A suppression ready to apply: events matching <see cref="Query"/> are hidden from the rule (or all rules).</summary>
public sealed record CompiledSuppression(Guid Id, Guid? RuleId, CompiledQuery Query, DateTime? ExpiresAt)
{
    public bool Hides(Guid ruleId, IQueryDocument document, DateTime now) =>
        (RuleId is null || RuleId == ruleId) && (ExpiresAt is null || ExpiresAt > now) && Query.Matches(document);
}

/// <summary>What detection runs for an organization: its compiled rules and active suppressions.</summary>
public sealed record DetectionRuleSet(IReadOnlyList<CompiledDetectionRule> Rules, IReadOnlyList<CompiledSuppression> Suppressions);
