using System.Text.Json.Nodes;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Content;

/// <summary>
/// Reads an agent event, as Datadog's agent serialises it, for rule evaluation: <see cref="SeclEventJson.Read"/>
/// after filling in three places where Datadog's JSON and the SECL JSON reader's paths differ today:
/// the credentials set by setuid, setgid and capset (<c>process.credentials.destination</c>), the mount paths
/// (flat <c>"mountpoint.path"</c> and <c>"source.path"</c> keys) and bit sets written as one string
/// (<c>"PROT_READ | PROT_EXEC"</c> for <c>mmap</c> and <c>mprotect</c>).
/// </summary>
public static class AgentEventReader
{
    private static readonly Dictionary<string, string[]> DestinationFields = new(StringComparer.Ordinal)
    {
        ["setuid"] = ["uid", "euid", "fsuid", "user", "euser", "fsuser"],
        ["setgid"] = ["gid", "egid", "fsgid", "group", "egroup", "fsgroup"],
        ["capset"] = ["cap_effective", "cap_permitted"],
    };

    private static readonly (string Section, string[] Keys)[] BitSetStrings =
    [
        ("mmap", ["protection", "flags"]),
        ("mprotect", ["req_protection", "vm_protection"]),
    ];

    public static SeclEvent Read(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("an agent event is a JSON object");
        NestMountPaths(root);
        SplitBitSets(root);
        var evt = SeclEventJson.Read(root.ToJsonString());
        if (DestinationFields.TryGetValue(evt.EventType, out var fields) && root["process"]?["credentials"]?["destination"] is JsonObject destination)
            ReadDestination(evt, destination, fields);
        return evt;
    }

    private static void NestMountPaths(JsonObject root)
    {
        if (root["mount"] is not JsonObject mount) return;
        foreach (var name in new[] { "mountpoint", "source" })
        {
            if (mount[$"{name}.path"] is JsonValue path && mount[name] is null)
                mount[name] = new JsonObject { ["path"] = path.GetValue<string>() };
        }
    }

    private static void SplitBitSets(JsonObject root)
    {
        foreach (var (section, keys) in BitSetStrings)
        {
            if (root[section] is not JsonObject obj) continue;
            foreach (var key in keys)
            {
                if (obj[key] is JsonValue value && value.TryGetValue<string>(out var text) && !long.TryParse(text, out _))
                    obj[key] = new JsonArray([.. text.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => (JsonNode)n)]);
            }
        }
    }

    private static void ReadDestination(SeclEvent evt, JsonObject destination, string[] fields)
    {
        foreach (var field in fields)
        {
            var name = $"{evt.EventType}.{field}";
            switch (destination[field])
            {
                case JsonArray names:
                    evt.SetValue(name, names.Select(n => n!.GetValue<string>()).ToArray());
                    break;
                case JsonValue value when value.TryGetValue<long>(out var number):
                    evt.SetValue(name, number);
                    break;
                case JsonValue value when value.TryGetValue<string>(out var text):
                    evt.SetValue(name, text);
                    break;
            }
        }
    }
}
