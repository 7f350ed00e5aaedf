using System.Text.Json;
using Vigil.Core.Domain;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Notifications.Templates;

/// <summary>What a notification is about: the signal, its detection rule, and the link to it.</summary>
public sealed record NotificationSubject(Signal Signal, string RuleName, string RuleType, string Severity, string Url, string Kind = "trigger");

/// <summary>
/// The variables templates see. <c>{{signal.title}}</c>, <c>{{signal.severity}}</c>, <c>{{signal.url}}</c>,
/// <c>{{signal.message}}</c>, <c>{{host}}</c>, <c>{{rule.name}}</c>, <c>{{rule.type}}</c>, Datadog's built-ins
/// (<c>{{severity}}</c>, <c>{{rule_name}}</c>, <c>{{events_matched}}</c>, <c>{{first_seen}}</c>…) and the sample
/// event's attributes as <c>{{@process.file.path}}</c> (Handlebars data) or <c>{{event.process.file.path}}</c>.
/// </summary>
public static class TemplateVariables
{
    public const string EventKey = "event";

    public static Dictionary<string, object?> Context(NotificationSubject subject)
    {
        var s = subject.Signal;
        var tags = JsonSerializer.Deserialize<List<string>>(s.TagsJson) ?? [];
        var signal = new Dictionary<string, object?>
        {
            ["id"] = s.Id.ToString(), ["title"] = s.Title, ["severity"] = subject.Severity, ["status"] = s.TriageState.ToWire(),
            ["url"] = subject.Url, ["message"] = s.Message, ["reason"] = s.Reason, ["host"] = s.Hostname,
            ["rule_id"] = s.RuleId, ["agent_rule_id"] = s.AgentRuleId, ["first_seen"] = Iso(s.FirstSeen),
            ["last_seen"] = Iso(s.LastSeen), ["events_matched"] = s.EventCount, ["tags"] = tags,
            ["data_dropped"] = s.DataDropped,
        };
        return new Dictionary<string, object?>
        {
            ["signal"] = signal,
            ["rule"] = new Dictionary<string, object?> { ["id"] = s.RuleId, ["name"] = subject.RuleName, ["type"] = subject.RuleType },
            ["host"] = s.Hostname,
            ["severity"] = subject.Severity,
            ["title"] = s.Title,
            ["rule_name"] = subject.RuleName,
            ["events_matched"] = s.EventCount,
            ["first_seen"] = Iso(s.FirstSeen),
            ["last_seen"] = Iso(s.LastSeen),
            ["timestamp"] = Iso(s.LastSeen),
            ["url"] = subject.Url,
            ["notification"] = new Dictionary<string, object?> { ["kind"] = subject.Kind },
            [EventKey] = Attributes(s.SampleEventJson),
        };
    }

    /// <summary>The sample event as nested dictionaries (what Handlebars walks for <c>@a.b.c</c>).</summary>
    public static Dictionary<string, object?> Attributes(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return ToValue(doc.RootElement) as Dictionary<string, object?> ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static object? ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => ToValue(g.First().Value)),
        JsonValueKind.Array => e.EnumerateArray().Select(ToValue).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string Iso(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToString("yyyy-MM-ddTHH:mm:ssZ");
}
