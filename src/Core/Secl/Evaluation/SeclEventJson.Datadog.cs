using System.Text.Json.Nodes;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// Three places where Datadog's agent writes an event differently from the model's JSON paths: the credentials
/// set by setuid, setgid and capset (<c>process.credentials.destination</c>), the mount paths (flat
/// <c>"mountpoint.path"</c> and <c>"source.path"</c> keys) and bit sets written as one string
/// (<c>"PROT_READ | PROT_EXEC"</c> for <c>mmap</c> and <c>mprotect</c>). Both shapes are read.
/// </summary>
public static partial class SeclEventJson
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

    /// <summary>Rewrites Datadog's shapes into the model's paths before the fields are read.</summary>
    private static void NormalizeDatadogShapes(JsonObject root)
    {
        if (root["mount"] is JsonObject mount)
        {
            foreach (var name in new[] { "mountpoint", "source" })
            {
                if (mount[$"{name}.path"] is JsonValue path && mount[name] is null)
                    mount[name] = new JsonObject { ["path"] = path.GetValue<string>() };
            }
        }
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

    /// <summary>The new credentials of a setuid, setgid or capset event, from <c>process.credentials.destination</c>.</summary>
    private static void ReadDestination(SeclEvent evt, JsonObject root)
    {
        if (!DestinationFields.TryGetValue(evt.EventType, out var fields) || root["process"]?["credentials"]?["destination"] is not JsonObject destination)
            return;
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
