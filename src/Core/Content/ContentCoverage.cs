using System.Text;

namespace Vigil.Core.Content;

/// <summary>The monitoring kinds of the catalogue and the coverage table (rules per kind × MITRE tactic).</summary>
public static class ContentCoverage
{
    public const string Process = "process";
    public const string File = "file";
    public const string Dns = "dns";
    public const string Kernel = "kernel";
    public const string Network = "network";

    public static readonly string[] Kinds = [Process, File, Dns, Kernel, Network];

    private static readonly HashSet<string> FileEvents = new(StringComparer.Ordinal)
    {
        "open", "chmod", "chown", "link", "rename", "unlink", "utimes", "mkdir", "rmdir", "setxattr", "removexattr", "splice", "chdir",
    };

    private static readonly HashSet<string> NetworkEvents = new(StringComparer.Ordinal)
    {
        "connect", "accept", "bind", "imds", "packet", "socket", "setsockopt", "network_flow_monitor",
    };

    /// <summary>
    /// The kind of an agent rule from its event type (for a <c>fim.write.file</c> rule, the first of its
    /// expansions): exec/exit are process execution, file events are file integrity, dns is DNS, network
    /// events are network, everything else (ptrace, bpf, modules, mount, credentials, signals, memory) is kernel.
    /// </summary>
    public static string KindOf(string eventType)
    {
        var first = eventType.Split(',')[0];
        return first switch
        {
            "exec" or "exit" => Process,
            "dns" => Dns,
            _ when FileEvents.Contains(first) => File,
            _ when NetworkEvents.Contains(first) => Network,
            _ => Kernel,
        };
    }

    /// <summary>Markdown table: one row per kind, one column per tactic, each cell the number of agent rules.</summary>
    public static string ToMarkdown(IEnumerable<(string Kind, IReadOnlyList<string> Tactics)> rules)
    {
        var list = rules.ToList();
        var tactics = list.SelectMany(r => r.Tactics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.Append("| kind | ").AppendJoin(" | ", tactics.Select(t => t["tactic:".Length..])).Append(" | rules |\n");
        text.Append("|---|").Append(string.Concat(tactics.Select(_ => "---|"))).Append("---|\n");
        foreach (var kind in Kinds)
        {
            var ofKind = list.Where(r => r.Kind == kind).ToList();
            text.Append("| ").Append(kind).Append(" | ")
                .AppendJoin(" | ", tactics.Select(t => ofKind.Count(r => r.Tactics.Contains(t)).ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Append(" | ").Append(ofKind.Count).Append(" |\n");
        }
        return text.ToString();
    }
}
