using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;

namespace Vigil.Web.Search;

/// <summary>How the explorer names detection rules (signals and facets carry rule ids).</summary>
public static class RuleLabels
{
    /// <summary>The rule's name; built-in rules whose name is a template (<c>{{@title}}</c>) get a readable one.</summary>
    public static string Of(DetectionRuleDto rule) =>
        rule.Id == BuiltInDetectionRules.AgentRuleMatchedId ? "Agent rule matched (built-in)"
        : rule.Rule.Name.Contains("{{", StringComparison.Ordinal) && rule.BuiltIn ? $"Built-in rule {rule.Id}"
        : rule.Rule.Name;

    public static IReadOnlyDictionary<string, string> ById(IEnumerable<DetectionRuleDto> rules) =>
        rules.ToDictionary(r => r.Id.ToString(), Of, StringComparer.OrdinalIgnoreCase);
}
