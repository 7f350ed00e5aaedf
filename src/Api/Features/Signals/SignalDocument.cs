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
public static class SignalDocument
{
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
                if (property.Name is not ("title" or "host" or "status" or "rule"))
                    attributes.Add(new(property.Name, property.Value));
            }
        }
        var tags = JsonSerializer.Deserialize<List<string>>(signal.TagsJson) ?? [];
        return new DictionaryQueryDocument(attributes, QueryTags.Parse(tags));
    }
}
