using System.Text.Json;

namespace Vigil.Web.Signals;

/// <summary>One process of a lineage: what ran, as whom, and whether it is the process the rule matched.</summary>
public sealed record ProcessNode(long? Pid, string Name, string? Path, string? CommandLine, string? User, bool Matched);

/// <summary>
/// The chain of processes behind an agent event, from the oldest ancestor down to the matched process. The
/// agent sends <c>process.ancestors</c> nearest first (parent, grandparent, …); when it only sends
/// <c>process.parent</c>, the chain is that parent and the process.
/// </summary>
public static class ProcessLineage
{
    public const int MaxDepth = 64;

    public static IReadOnlyList<ProcessNode> From(JsonElement agentEvent)
    {
        if (agentEvent.ValueKind != JsonValueKind.Object || !agentEvent.TryGetProperty("process", out var process)
            || process.ValueKind != JsonValueKind.Object)
            return [];
        var ancestors = new List<JsonElement>();
        if (process.TryGetProperty("ancestors", out var list) && list.ValueKind == JsonValueKind.Array)
            ancestors.AddRange(list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object).Take(MaxDepth));
        else if (process.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object)
            ancestors.Add(parent);
        var chain = ancestors.AsEnumerable().Reverse().Select(a => Node(a, matched: false)).ToList();
        chain.Add(Node(process, matched: true));
        return chain;
    }

    private static ProcessNode Node(JsonElement p, bool matched)
    {
        var path = Text(p, "executable", "path") ?? Text(p, "file", "path");
        var name = Text(p, "executable", "name") ?? Text(p, "comm") ?? (path is null ? null : System.IO.Path.GetFileName(path)) ?? "?";
        string? commandLine = null;
        if (p.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array)
            commandLine = string.Join(' ', new[] { path ?? name }.Concat(args.EnumerateArray().Select(a => a.ToString())));
        else if (Text(p, "args") is { } flat)
            commandLine = (path ?? name) + " " + flat;
        long? pid = p.TryGetProperty("pid", out var pidValue) && pidValue.TryGetInt64(out var n) ? n : null;
        return new ProcessNode(pid, name, path, commandLine, Text(p, "user"), matched);
    }

    /// <summary>The string at a dotted path of properties, or null.</summary>
    internal static string? Text(JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                return null;
        }
        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => current.ToString(),
            _ => null,
        };
    }
}
