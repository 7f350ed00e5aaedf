using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Vigil.Core.Events;

namespace Vigil.Agent.Shipping;

/// <summary>Builds the agent's own events in the Datadog agent-event JSON shape.</summary>
public static class AgentEventFactory
{
    public static JsonObject Heartbeat(DateTimeOffset now) => Internal(InternalRuleIds.Heartbeat, "Agent heartbeat", now);

    /// <summary>
    /// A heartbeat carrying the shipper's counters (<c>agent_stats</c>) and one status line per probe domain
    /// (<c>probes</c>, e.g. <c>{"files": "files: fanotify (FID, 2 filesystems)"}</c>).
    /// </summary>
    public static JsonObject Heartbeat(DateTimeOffset now, ShipperCounters counters, IReadOnlyDictionary<string, string> probeStatus)
    {
        var heartbeat = Heartbeat(now);
        var probes = new JsonObject();
        foreach (var (domain, status) in probeStatus.OrderBy(p => p.Key, StringComparer.Ordinal))
            probes[domain] = status;
        heartbeat["vigil"] = new JsonObject { ["agent_stats"] = counters.ToJson(), ["probes"] = probes };
        return heartbeat;
    }

    /// <summary>
    /// The agent dropped events (full queue, full spool, refused batch): the backend flags the host's
    /// signals in that window as possibly incomplete.
    /// </summary>
    public static JsonObject LostEvents(DateTimeOffset now, long droppedEvents)
    {
        var lost = Internal(InternalRuleIds.LostEvents, $"Agent dropped {droppedEvents} events", now);
        lost["vigil"] = new JsonObject { ["data_dropped"] = true, ["dropped_events"] = droppedEvents };
        return lost;
    }

    private static JsonObject Internal(string ruleId, string title, DateTimeOffset now) => new()
    {
        ["agent"] = new JsonObject
        {
            ["rule_id"] = ruleId,
            ["version"] = AgentSettings.Version,
            ["os"] = OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription,
            ["arch"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            ["kernel_version"] = Environment.OSVersion.Version.ToString(),
        },
        ["title"] = title,
        ["date"] = now.ToString("O"),
        ["evt"] = new JsonObject { ["name"] = ruleId, ["category"] = "agent" },
    };
}
