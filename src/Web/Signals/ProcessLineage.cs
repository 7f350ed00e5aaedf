using System.Text.Json;
using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Signals;

/// <summary>One process of a lineage: what ran, as whom, and whether it is the process the rule matched.</summary>
public sealed record ProcessStep(long? Pid, string Name, string? Path, string? CommandLine, string? User, bool Matched);

/// <summary>
/// The chain of processes behind an agent event, from the oldest ancestor down to the matched process. The
/// agent sends <c>process.ancestors</c> nearest first (parent, grandparent, …); when it only sends
/// <c>process.parent</c>, the chain is that parent and the process.
/// </summary>
public static class ProcessLineage
{
    public const int MaxDepth = 64;

    /// <summary>
    /// The Api's process tree of a signal (matched process first, then parent and ancestors), turned root-first;
    /// preferred over reading the sample event here, so the Web and the Api agree on one lineage.
    /// </summary>
    public static IReadOnlyList<ProcessStep> FromEntities(IReadOnlyList<Core.Contracts.Api.ProcessNode> tree) =>
        tree.Reverse().Select(n =>
        {
            var name = n.Name ?? (n.Path is null ? null : System.IO.Path.GetFileName(n.Path)) ?? "?";
            var commandLine = n.Args.Count == 0 ? n.Path : string.Join(' ', new[] { n.Path ?? name }.Concat(n.Args));
            return new ProcessStep(n.Pid, name, n.Path, commandLine, n.User, n.Matched);
        }).ToList();

    /// <summary>The lineage of a signal: the Api's tree when it sent one, else read from the sample event.</summary>
    public static IReadOnlyList<ProcessStep> Of(SignalDetailDto detail) =>
        detail.Entities is { ProcessTree.Count: > 0 } entities ? FromEntities(entities.ProcessTree) : From(detail.SampleEvent);

    public static IReadOnlyList<ProcessStep> From(JsonElement agentEvent)
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

    private static ProcessStep Node(JsonElement p, bool matched)
    {
        var path = Text(p, "executable", "path") ?? Text(p, "file", "path");
        var name = Text(p, "executable", "name") ?? Text(p, "comm") ?? (path is null ? null : System.IO.Path.GetFileName(path)) ?? "?";
        string? commandLine = null;
        if (p.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array)
            commandLine = string.Join(' ', new[] { path ?? name }.Concat(args.EnumerateArray().Select(a => a.ToString())));
        else if (Text(p, "args") is { } flat)
            commandLine = (path ?? name) + " " + flat;
        long? pid = p.TryGetProperty("pid", out var pidValue) && pidValue.TryGetInt64(out var n) ? n : null;
        return new ProcessStep(pid, name, path, commandLine, Text(p, "user"), matched);
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
