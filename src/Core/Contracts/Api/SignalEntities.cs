using System.Text.Json;

namespace Vigil.Core.Contracts.Api;

/// <summary>One process of a signal's process tree: the matched process first, then its parent and ancestors.</summary>
public sealed record ProcessNode(long? Pid, string? Path, string? Name, IReadOnlyList<string> Args, string? User, bool Matched);

/// <summary>
/// What a signal is about, read from its sample agent event (Datadog agent-event shape): host, container and
/// image, the process tree, the file, the user and the DNS name. Absent parts are null or empty.
/// </summary>
public sealed record SignalEntities(
    string? Host,
    string? ContainerId,
    string? Image,
    IReadOnlyList<ProcessNode> ProcessTree,
    string? FilePath,
    string? User,
    string? DnsName)
{
    /// <summary>Process trees are bounded (an agent sends at most a few dozen ancestors).</summary>
    public const int MaxProcesses = 64;

    public static SignalEntities From(JsonElement sample, string hostname)
    {
        var process = Object(sample, "process");
        var tree = new List<ProcessNode>();
        if (process is { } p)
        {
            tree.Add(Node(p, matched: true));
            // Datadog sends parent and ancestors; ancestors[0] is usually the parent again: skip repeats by pid.
            if (Object(p, "parent") is { } parent)
                tree.Add(Node(parent, matched: false));
            if (p.TryGetProperty("ancestors", out var ancestors) && ancestors.ValueKind == JsonValueKind.Array)
            {
                foreach (var ancestor in ancestors.EnumerateArray())
                {
                    if (tree.Count >= MaxProcesses) break;
                    var node = Node(ancestor, matched: false);
                    if (node.Pid is null || tree.TrueForAll(n => n.Pid != node.Pid))
                        tree.Add(node);
                }
            }
        }
        var container = Object(sample, "container");
        return new SignalEntities(
            Host: hostname,
            ContainerId: container is { } c ? String(c, "id") : null,
            Image: ContainerImage(sample),
            ProcessTree: tree,
            FilePath: Object(sample, "file") is { } f ? String(f, "path") : null,
            User: process is { } proc ? String(proc, "user") ?? (Object(proc, "credentials") is { } cred ? String(cred, "user") : null) : null,
            DnsName: Object(sample, "dns") is { } dns && Object(dns, "question") is { } question ? String(question, "name") : null);
    }

    private static ProcessNode Node(JsonElement process, bool matched)
    {
        var executable = Object(process, "file") ?? Object(process, "executable");
        var args = new List<string>();
        if (process.TryGetProperty("args", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var arg in list.EnumerateArray().Take(64))
            {
                if (arg.ValueKind == JsonValueKind.String)
                    args.Add(arg.GetString()!);
            }
        }
        return new ProcessNode(
            process.TryGetProperty("pid", out var pid) && pid.TryGetInt64(out var n) ? n : null,
            executable is { } e ? String(e, "path") : null,
            executable is { } x ? String(x, "name") : String(process, "comm"),
            args,
            String(process, "user") ?? (Object(process, "credentials") is { } cred ? String(cred, "user") : null),
            matched);
    }

    /// <summary>The image from the event's tags (<c>image_name:</c>), as Datadog's backend adds them.</summary>
    private static string? ContainerImage(JsonElement sample)
    {
        if (!sample.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var tag in tags.EnumerateArray())
        {
            if (tag.ValueKind == JsonValueKind.String && tag.GetString() is { } text && text.StartsWith("image_name:", StringComparison.Ordinal))
                return text["image_name:".Length..];
        }
        return null;
    }

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
