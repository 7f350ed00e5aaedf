using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Core.Contracts.Api;

namespace Vigil.Ingest.Storage;

/// <summary>The counters of a heartbeat's <c>vigil.agent_stats</c> (all since the agent process started).</summary>
public sealed record AgentCounters(long Seen, long Matched, long Sent, long Dropped);

/// <summary>
/// What one agent heartbeat says about the agent: when (the agent's clock), its counters and the probe serving
/// each monitoring kind. The agent is not trusted: only the four known kinds are kept, strings are cut short and
/// negative or missing counters are refused, so a hostile agent cannot bloat the inventory row.
/// </summary>
public sealed partial record AgentHeartbeat(DateTime At, AgentCounters? Counters, IReadOnlyList<AgentProbeDto> Probes)
{
    /// <summary>The monitoring kinds the Agents page shows, in its order (the agent's probe domains).</summary>
    public static readonly IReadOnlyList<string> Kinds = ["process", "kernel", "file", "dns"];
    public const int MaxMessageLength = 300;
    public const int MaxMechanismLength = 32;

    /// <summary>The heartbeat in an agent event's JSON, or null when the event carries neither counters nor probes.</summary>
    public static AgentHeartbeat? TryRead(JsonElement root, DateTime at)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("vigil", out var vigil) || vigil.ValueKind != JsonValueKind.Object)
            return null;
        var counters = vigil.TryGetProperty("agent_stats", out var stats) ? ReadCounters(stats) : null;
        var probes = vigil.TryGetProperty("probes", out var lines) ? ReadProbes(lines) : [];
        return counters is null && probes.Count == 0 ? null : new AgentHeartbeat(at, counters, probes);
    }

    private static AgentCounters? ReadCounters(JsonElement stats)
    {
        if (stats.ValueKind != JsonValueKind.Object)
            return null;
        long? Read(string name) =>
            stats.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0 ? n : null;
        var (seen, matched, sent, dropped, kernelLost) =
            (Read("events_seen"), Read("events_matched"), Read("events_sent"), Read("events_dropped"), Read("kernel_lost_events"));
        if (seen is null)
            return null;
        // Saturating sum: two huge counters from a hostile agent must not wrap to a negative figure.
        var lost = (dropped ?? 0) > long.MaxValue - (kernelLost ?? 0) ? long.MaxValue : (dropped ?? 0) + (kernelLost ?? 0);
        return new AgentCounters(seen.Value, matched ?? 0, sent ?? 0, lost);
    }

    private static List<AgentProbeDto> ReadProbes(JsonElement lines)
    {
        var probes = new List<AgentProbeDto>();
        if (lines.ValueKind != JsonValueKind.Object)
            return probes;
        var selfTest = lines.TryGetProperty("self-test", out var test) && test.ValueKind == JsonValueKind.String ? test.GetString()! : "";
        foreach (var kind in Kinds)
        {
            if (lines.TryGetProperty(kind, out var line) && line.ValueKind == JsonValueKind.String)
                probes.Add(AfterSelfTest(Probe(kind, line.GetString()!), selfTest));
        }
        return probes;
    }

    /// <summary>
    /// A probe that runs but missed the start-up self-test's exec or kill (<c>process FAILED (no exec event within 5 s)</c>)
    /// does not see what it should: degraded, whatever its own line says.
    /// </summary>
    private static AgentProbeDto AfterSelfTest(AgentProbeDto probe, string selfTest)
    {
        var marker = probe.Kind + " FAILED";
        var at = selfTest.IndexOf(marker, StringComparison.Ordinal);
        if (probe.State != "ok" || at < 0)
            return probe;
        var failure = selfTest[(at + marker.Length)..].Split(", ", 2)[0].Trim();
        return probe with { State = "degraded", Message = Cut($"self-test failed {failure}; {probe.Message}", MaxMessageLength) };
    }

    /// <summary>
    /// One status line as <c>KernelPipeline.StatusLines</c> writes it: <c>ebpf running: 20 programs attached (events 5, lost 0)</c>,
    /// <c>unavailable</c>, or <c>disabled: no policy loaded</c>. Running is ok, stopped or not started is degraded,
    /// a failed or missing probe is failed; a line in another shape is kept as degraded with its text.
    /// </summary>
    internal static AgentProbeDto Probe(string kind, string line)
    {
        var message = Cut(line.Trim(), MaxMessageLength);
        if (message == "unavailable")
            return new AgentProbeDto(kind, "none", "failed", message);
        if (message.StartsWith("disabled", StringComparison.Ordinal))
            return new AgentProbeDto(kind, "none", "degraded", message);
        var match = StatusLine().Match(message);
        if (!match.Success)
            return new AgentProbeDto(kind, "unknown", "degraded", message);
        var state = match.Groups["state"].Value switch
        {
            "running" => "ok",
            "failed" => "failed",
            _ => "degraded",
        };
        return new AgentProbeDto(kind, Cut(match.Groups["mechanism"].Value, MaxMechanismLength), state, match.Groups["detail"].Value);
    }

    /// <summary>At most <paramref name="max"/> characters, never half of a surrogate pair.</summary>
    internal static string Cut(string text, int max)
    {
        if (text.Length <= max)
            return text;
        return text[..(max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
    }

    [GeneratedRegex(@"^(?<mechanism>[a-z0-9_]+) (?<state>running|failed|stopped|notstarted): ?(?<detail>.*)$", RegexOptions.Singleline, matchTimeoutMilliseconds: 100)]
    private static partial Regex StatusLine();
}
