using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Vigil.Content.Tests;

/// <summary>
/// Every event in the catalogue's test cases must be an agent event as Datadog's agent serialises it: valid
/// against Datadog's published agent-event JSON schema (tests/testdata/datadog). Agent-rule cases
/// describe the event before a rule matched it, so they get a placeholder <c>agent</c> and <c>title</c>.
/// </summary>
public sealed class AgentEventSchemaTests
{
    // Built once: the schema registers its $id globally.
    private static readonly Lazy<JsonSchema> Schema = new(Load);

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.List };

    private static JsonSchema Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln"))) directory = directory.Parent;
        Assert.True(directory?.Parent is not null, "Platform.sln not found above " + AppContext.BaseDirectory);
        return JsonSchema.FromText(File.ReadAllText(Path.Combine(directory.FullName, "tests", "testdata", "datadog", "datadog-agent-event-linux.schema.json")));
    }

    private static IEnumerable<(string Where, string Json)> CaseEvents()
    {
        foreach (var file in Catalogue.Content.AgentRuleTests)
        {
            foreach (var c in file.Match.Concat(file.NoMatch))
            {
                var node = JsonNode.Parse(c.EventJson)!.AsObject();
                node["agent"] ??= new JsonObject { ["rule_id"] = file.RuleId };
                node["title"] ??= "placeholder";
                yield return ($"tests/agent-rules/{file.FileName} '{c.Name}'", node.ToJsonString());
            }
        }
        foreach (var file in Catalogue.Content.DetectionRuleTests)
            foreach (var c in file.Cases)
                foreach (var e in c.Events)
                    yield return ($"tests/detection-rules/{file.FileName} '{c.Name}'", e.EventJson);
    }

    [Fact]
    public void CaseEvents_FollowDatadogsAgentEventSchema()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var (where, json) in CaseEvents())
        {
            count++;
            using var document = JsonDocument.Parse(json);
            var result = Schema.Value.Evaluate(document.RootElement, Options);
            if (result.IsValid) continue;
            var errors = (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(3);
            failures.Add($"{where}: {string.Join("; ", errors)}");
        }
        Assert.True(count > 300, $"only {count} case events found");
        Assert.True(failures.Count == 0, $"{failures.Count} events do not follow the schema:\n" + string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void Schema_RejectsAnEventWithoutItsRequiredFields()
    {
        using var document = JsonDocument.Parse("""{ "agent": { "rule_id": "x" }, "title": "t", "process": { "pid": 1 } }""");
        Assert.False(Schema.Value.Evaluate(document.RootElement, Options).IsValid);
    }
}
