using System.Text.Json;
using Vigil.Core.Detection;
using Vigil.Core.Query.Evaluation;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Content;

/// <summary>Runs the catalogue's test cases with the same engines the agent and the detection service use.</summary>
public static class ContentCaseRunner
{
    /// <summary>Every detection case starts here; event offsets count from it and rules are created at it.</summary>
    public static readonly DateTime CaseStart = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Ids of the loaded agent rules that match the event. A <see cref="SeclRuleSet"/> is not thread-safe: one caller at a time.</summary>
    public static IReadOnlyList<string> MatchingAgentRules(SeclRuleSet ruleSet, string eventJson)
    {
        var matches = new List<SeclRuleMatch>();
        ruleSet.Evaluate(AgentEventReader.Read(eventJson), matches);
        return matches.Select(m => m.Rule.Id).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Compiles the rule (as created at <see cref="CaseStart"/>) and replays the case's events through it.</summary>
    public static IReadOnlyList<ReplayedSignal> Replay(DetectionRuleDefinition definition, DetectionRuleTestCase testCase)
    {
        var (rule, errors) = DetectionRuleCompiler.Compile(definition, Guid.Empty, 1, CaseStart);
        if (rule is null)
            throw new InvalidOperationException($"the rule does not compile: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
        var documents = new List<JsonDocument>();
        try
        {
            var events = testCase.Events.Select(e =>
            {
                var json = JsonDocument.Parse(e.EventJson);
                documents.Add(json);
                IQueryDocument document = new JsonEventDocument(json.RootElement,
                    QueryTags.Parse([$"host:{e.Host}", "source:runtime-security-agent", .. e.Tags]));
                return (document, CaseStart.AddSeconds(e.OffsetSeconds));
            }).ToList();
            return DetectionReplay.Run(rule, events);
        }
        finally
        {
            documents.ForEach(d => d.Dispose());
        }
    }
}
