using System.Text.Json;

namespace Vigil.Web.Signals;

/// <summary>
/// One line for the signal panel when the sample event carries Active Protection outcomes
/// (<c>agent.rule_actions</c> of type kill or block): what was done, by which mechanism, how fast — or why not.
/// </summary>
public static class ProtectionSummary
{
    public static string? Describe(JsonElement agentEvent)
    {
        if (agentEvent.ValueKind != JsonValueKind.Object
            || !agentEvent.TryGetProperty("agent", out var agent) || agent.ValueKind != JsonValueKind.Object
            || !agent.TryGetProperty("rule_actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
            return null;
        var lines = new List<string>();
        foreach (var action in actions.EnumerateArray())
        {
            var type = Text(action, "type");
            if (type is not ("kill" or "block")) continue;
            lines.Add(Line(type, action));
        }
        return lines.Count == 0 ? null : string.Join(" ", lines);
    }

    private static string Line(string type, JsonElement action)
    {
        var how = Text(action, "mechanism") switch
        {
            "ebpf_kill" => "in the kernel at exec, before its first instruction",
            "hold" => "stopped at exec, then killed before its first instruction",
            "fanotify" => "before the binary was loaded",
            "user_space" => "after it started",
            var other => other ?? "",
        };
        var ttr = Text(action, "ttr") is { } t ? $", {t} after exec" : "";
        return Text(action, "status") switch
        {
            "performed" when type == "block" => $"Blocked: the exec was denied {how}.",
            "performed" => $"Killed ({Text(action, "signal") ?? "SIGKILL"}) {how}{ttr}.",
            "rule_disarmed" => $"Not {Past(type)}: the rule is disarmed ({Text(action, "disarmer_type") ?? "executable"} disarmer: it fired on too many executables).",
            "refused" => $"Not {Past(type)}: refused by a safeguard ({Text(action, "reason") ?? "unknown"}).",
            "not_performed" => $"Not {Past(type)}: {Text(action, "reason") ?? "the process had already exited"}.",
            var status => $"{(type == "block" ? "Block" : "Kill")} failed ({status}): {Text(action, "reason") ?? "no reason given"}.",
        };
    }

    private static string Past(string type) => type == "block" ? "blocked" : "killed";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
