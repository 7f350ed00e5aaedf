using System.Text.Json.Nodes;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Content;

/// <summary>
/// Reads an agent event for rule evaluation: <see cref="SeclEventJson.Read"/> plus the credential changes of
/// setuid, setgid and capset events, which Datadog serialises under <c>process.credentials.destination</c>
/// and the SECL JSON reader does not map yet.
/// </summary>
public static class AgentEventReader
{
    private static readonly Dictionary<string, string[]> DestinationFields = new(StringComparer.Ordinal)
    {
        ["setuid"] = ["uid", "euid", "fsuid", "user", "euser", "fsuser"],
        ["setgid"] = ["gid", "egid", "fsgid", "group", "egroup", "fsgroup"],
        ["capset"] = ["cap_effective", "cap_permitted"],
    };

    public static SeclEvent Read(string json)
    {
        var evt = SeclEventJson.Read(json);
        if (!DestinationFields.TryGetValue(evt.EventType, out var fields)
            || JsonNode.Parse(json)?["process"]?["credentials"]?["destination"] is not JsonObject destination)
            return evt;
        foreach (var field in fields)
        {
            switch (destination[field])
            {
                case JsonArray names:
                    evt.SetValue($"{evt.EventType}.{field}", names.Select(n => n!.GetValue<string>()).ToArray());
                    break;
                case JsonValue value when value.TryGetValue<long>(out var number):
                    evt.SetValue($"{evt.EventType}.{field}", number);
                    break;
                case JsonValue value when value.TryGetValue<string>(out var text):
                    evt.SetValue($"{evt.EventType}.{field}", text);
                    break;
            }
        }
        return evt;
    }
}
