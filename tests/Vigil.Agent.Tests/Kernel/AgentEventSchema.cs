using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Vigil.Agent.Tests.Kernel;

/// <summary>Datadog's published JSON Schema of a Linux agent event (draft 2020-12), used to validate every emitted event.</summary>
public static class AgentEventSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Kernel", "datadog-agent-event-linux.schema.json"))));

    /// <summary>Empty when valid, else "location: error" lines.</summary>
    public static IReadOnlyList<string> Errors(JsonObject evt)
    {
        using var document = JsonDocument.Parse(evt.ToJsonString());
        var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))];
    }

    public static void AssertValid(JsonObject evt)
    {
        var errors = Errors(evt);
        Assert.True(errors.Count == 0, $"agent event does not match the schema:\n{string.Join("\n", errors.Take(20))}\n{evt.ToJsonString()[..Math.Min(2000, evt.ToJsonString().Length)]}");
    }
}
