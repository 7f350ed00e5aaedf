using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Core.Content;
using Vigil.Core.Detection;
using Vigil.Core.Domain;

namespace Vigil.Content.Tests;

/// <summary>Every detection rule of the catalogue: it compiles, its metadata is complete, its cases raise what they say.</summary>
public sealed partial class DetectionRuleTests
{
    [GeneratedRegex(@"@agent\.rule_id:(\((?<list>[^)]*)\)|(?<one>[A-Za-z0-9_]+))")]
    private static partial Regex AgentRuleReference();

    private static DetectionRuleContent Rule(string id) => Assert.Single(Catalogue.Content.DetectionRules, r => r.Id == id);

    [Theory]
    [MemberData(nameof(Catalogue.DetectionRuleIds), MemberType = typeof(Catalogue))]
    public void DetectionRule_Cases_RaiseTheExpectedSignals(string ruleId)
    {
        var rule = Rule(ruleId);
        var file = Assert.Single(Catalogue.Content.DetectionRuleTests, t => t.RuleId == ruleId);
        Assert.Contains(file.Cases, c => c.ExpectedSignals > 0);
        Assert.Contains(file.Cases, c => c.ExpectedSignals == 0);

        var failures = new List<string>();
        foreach (var testCase in file.Cases)
        {
            Assert.NotEmpty(testCase.Events);
            var signals = ContentCaseRunner.Replay(rule.Definition, testCase);
            if (signals.Count != testCase.ExpectedSignals)
                failures.Add($"'{testCase.Name}': {signals.Count} signal(s), expected {testCase.ExpectedSignals}");
            else if (testCase.ExpectedSeverity is { } expected && signals[0].Severity.ToWire() != expected)
                failures.Add($"'{testCase.Name}': severity {signals[0].Severity.ToWire()}, expected {expected}");
        }
        Assert.True(failures.Count == 0, $"{ruleId}: {string.Join("; ", failures)}");
    }

    [Theory]
    [MemberData(nameof(Catalogue.DetectionRuleIds), MemberType = typeof(Catalogue))]
    public void DetectionRule_Metadata_IsComplete(string ruleId)
    {
        var definition = Rule(ruleId).Definition;
        var (compiled, errors) = DetectionRuleCompiler.Compile(definition, ContentCatalog.StableRuleId(ruleId), 1, ContentCaseRunner.CaseStart);
        Assert.True(compiled is not null, $"{ruleId} does not compile: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");

        Assert.Contains(definition.Tags, t => Regex.IsMatch(t, @"^tactic:TA\d{4}-[a-z-]+$"));
        Assert.Contains(definition.Tags, t => Regex.IsMatch(t, @"^technique:T\d{4}-[a-z-]+$"));
        // The message is the description and the playbook: Goal (what it detects), Strategy, numbered triage steps.
        Assert.Matches(@"^## Goal\n\S.*\n\n## Strategy\n\S.*\n\n## Triage and response\n1\. \S", definition.Message);
        var severities = definition.Method switch
        {
            DetectionMethod.Threshold => definition.Cases.Select(c => c.Status).ToList(),
            DetectionMethod.NewValue => [definition.Options.NewValue!.Status],
            _ => [definition.Options.Sequence!.Status],
        };
        Assert.NotEmpty(severities);
        Assert.All(severities, s => Assert.True(SeverityNames.TryParse(s, out _), $"{ruleId}: severity '{s}'"));
    }

    [Theory]
    [MemberData(nameof(Catalogue.DetectionRuleIds), MemberType = typeof(Catalogue))]
    public void DetectionRule_AgentRuleReferences_ExistAndTheCaseEventsAreWhatThoseRulesSend(string ruleId)
    {
        var agentIds = Catalogue.Content.AgentRules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var referenced = Rule(ruleId).Definition.Queries.SelectMany(q => AgentRuleReference().Matches(q.Query))
            .SelectMany(m => m.Groups["one"].Success ? [m.Groups["one"].Value] : m.Groups["list"].Value.Split(" OR ", StringSplitOptions.TrimEntries))
            .ToList();
        Assert.NotEmpty(referenced);
        Assert.All(referenced, id => Assert.True(agentIds.Contains(id), $"{ruleId} queries unknown agent rule '{id}'"));

        // Each case event claims to come from an agent rule: that rule must really match it.
        var file = Assert.Single(Catalogue.Content.DetectionRuleTests, t => t.RuleId == ruleId);
        foreach (var evt in file.Cases.SelectMany(c => c.Events))
        {
            using var json = JsonDocument.Parse(evt.EventJson);
            var claimed = json.RootElement.GetProperty("agent").GetProperty("rule_id").GetString()!;
            Assert.True(Catalogue.MatchingAgentRules(evt.EventJson).Contains(claimed),
                $"{ruleId}: a case event claims agent rule '{claimed}' but that rule does not match it");
        }
    }
}
