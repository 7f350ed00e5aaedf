using System.Text.RegularExpressions;
using Vigil.Core.Content;
using Vigil.Core.Domain;
using Vigil.Core.Secl.Policy;

namespace Vigil.Content.Tests;

/// <summary>Every agent rule of the catalogue: its metadata, and its cases run through the SECL engine.</summary>
public sealed partial class AgentRuleTests
{
    [GeneratedRegex(@"^tactic:TA\d{4}-[a-z-]+$")]
    private static partial Regex TacticTag();

    [GeneratedRegex(@"^technique:T\d{4}-[a-z-]+$")]
    private static partial Regex TechniqueTag();

    [Theory]
    [MemberData(nameof(Catalogue.AgentRuleIds), MemberType = typeof(Catalogue))]
    public void AgentRule_Cases_MatchAndLookAlikesDoNot(string ruleId)
    {
        var cases = Catalogue.Content.AgentRuleTests.Where(t => t.RuleId == ruleId).ToList();
        var file = Assert.Single(cases);
        Assert.True(file.Match.Count > 0, $"{ruleId}: no event that must match");
        Assert.True(file.NoMatch.Count > 0, $"{ruleId}: no benign look-alike that must not match");
        Assert.Contains(Catalogue.Policies.RuleSet.Rules, r => r.Id == ruleId);

        var failures = new List<string>();
        foreach (var c in file.Match)
        {
            if (!Catalogue.MatchingAgentRules(c.EventJson).Contains(ruleId))
                failures.Add($"must match but does not: {c.Name}");
        }
        foreach (var c in file.NoMatch)
        {
            if (Catalogue.MatchingAgentRules(c.EventJson).Contains(ruleId))
                failures.Add($"must not match but does: {c.Name}");
        }
        Assert.True(failures.Count == 0, $"{ruleId}: {string.Join("; ", failures)}");
    }

    [Theory]
    [MemberData(nameof(Catalogue.AgentRuleIds), MemberType = typeof(Catalogue))]
    public void AgentRule_Metadata_IsComplete(string ruleId)
    {
        var rule = Assert.Single(Catalogue.Content.AgentRules, r => r.Id == ruleId);
        Assert.False(string.IsNullOrWhiteSpace(rule.Description), $"{ruleId}: no description");
        Assert.True(SeverityNames.TryParse(rule.Severity, out _), $"{ruleId}: tags.severity must be info, low, medium, high or critical (is '{rule.Severity}')");
        Assert.NotEmpty(rule.Tactics);
        Assert.All(rule.Tactics, t => Assert.Matches(TacticTag(), t));
        Assert.NotEmpty(rule.Techniques);
        Assert.All(rule.Techniques, t => Assert.Matches(TechniqueTag(), t));
        Assert.False(string.IsNullOrWhiteSpace(rule.Remediation), $"{ruleId}: no remediation");
        Assert.Contains("**Remediation**", rule.Remediation, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^1\. \S", rule.Remediation!);
        Assert.True(rule.Protection is null or AgentRuleContent.BlockingCapable, $"{ruleId}: unknown protection '{rule.Protection}'");
        var report = Assert.Single(Catalogue.Policies.Rules, r => r.Id == ruleId);
        Assert.Equal(SeclRuleStatus.Loaded, report.Status);
    }
}
