using System.Text.Json;
using Vigil.Core.Domain;
using Vigil.Core.Query.Evaluation;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Signals;

/// <summary>
/// A signal as the search language sees it: <c>status</c> is the severity (as in Datadog), <c>host</c>,
/// <c>rule</c> (detection rule id), <c>@workflow.triage.state</c>, <c>@agent.rule_id</c>, <c>@title</c>,
/// the rule's tags (<c>tactic:…</c>), and every attribute of the sample event (<c>@process.executable.path</c>).
/// </summary>
/// <remarks>
/// The signal's own fields win over sample attributes of the same name, so a search on them reads only the
/// signal's columns — what <see cref="SignalQueryTranslator"/> relies on to run those terms in SQL. The
/// sample's <c>agent.rule_id</c> is the signal's agent rule anyway: detection copies it from the same event.
/// </remarks>
public static class SignalDocument
{
    /// <summary>Top-level names the signal defines itself; the sample's properties of these names are not read.</summary>
    private static readonly HashSet<string> OwnNames = new(StringComparer.Ordinal)
        { "title", "host", "status", "rule", "message", "workflow", "events_matched" };

    public static DictionaryQueryDocument From(Signal signal, JsonElement sample)
    {
        var attributes = new List<KeyValuePair<string, object?>>
        {
            new("host", signal.Hostname),
            new("status", signal.Severity.ToWire()),
            new("rule", signal.RuleId),
            new("title", signal.Title),
            new("message", signal.Message),
            new("workflow.triage.state", signal.TriageState.ToWire()),
            new("workflow.rule.id", signal.RuleId),
            new("agent.rule_id", signal.AgentRuleId),
            new("events_matched", signal.EventCount),
        };
        if (sample.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in sample.EnumerateObject())
            {
                if (OwnNames.Contains(property.Name))
                    continue;
                if (property.Name == "agent" && property.Value.ValueKind == JsonValueKind.Object)
                    AddAgent(attributes, property.Value);
                else
                    attributes.Add(new(property.Name, property.Value));
            }
        }
        var tags = JsonSerializer.Deserialize<List<string>>(signal.TagsJson) ?? [];
        return new DictionaryQueryDocument(attributes, QueryTags.Parse(tags));
    }

    /// <summary>The sample's <c>agent</c> object without <c>rule_id</c> (the signal's column answers that).</summary>
    private static void AddAgent(List<KeyValuePair<string, object?>> attributes, JsonElement agent)
    {
        attributes.Add(new("agent", new Dictionary<string, object?>()));
        foreach (var property in agent.EnumerateObject())
        {
            if (property.Name != "rule_id")
                attributes.Add(new("agent." + property.Name, property.Value));
        }
    }
}
