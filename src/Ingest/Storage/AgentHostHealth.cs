using System.Text.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Data.Entities;

namespace Vigil.Ingest.Storage;

/// <summary>
/// Keeps an agent's health on its inventory row from its heartbeats: the probes of the latest one, its counters,
/// and the rate and losses between two consecutive ones.
/// </summary>
public static class AgentHostHealth
{
    /// <summary>
    /// Applies a heartbeat unless an equally recent or newer one was applied already (a spool replayed after an
    /// outage brings old heartbeats late; they must not turn the figures back).
    /// </summary>
    public static void Apply(AgentHost host, AgentHeartbeat heartbeat)
    {
        if (host.StatsReportedAt is { } last && heartbeat.At <= last)
            return;
        if (heartbeat.Probes.Count > 0)
            host.ProbesJson = ProbesJson(heartbeat.Probes);
        if (heartbeat.Counters is not { } now)
            return;

        if (host.StatsReportedAt is { } previousAt && host.EventsSeen is { } previousSeen)
        {
            var seconds = (heartbeat.At - previousAt).TotalSeconds;
            host.EventsPerSecond = Math.Round(Delta(previousSeen, now.Seen) / seconds, 2);
            host.EventsDroppedLastInterval = Delta(host.EventsDropped ?? 0, now.Dropped);
        }
        else
        {
            host.EventsDroppedLastInterval = now.Dropped; // first heartbeat: what was lost since the agent started
        }
        host.StatsReportedAt = heartbeat.At;
        host.EventsSeen = now.Seen;
        host.EventsMatched = now.Matched;
        host.EventsSent = now.Sent;
        host.EventsDropped = now.Dropped;
    }

    /// <summary>
    /// The probes as stored, within the column's length whatever the messages hold: JSON escapes quotes, control and
    /// non-ASCII characters up to six characters each, so messages are cut shorter until the whole fits (at worst, none).
    /// </summary>
    public static string ProbesJson(IReadOnlyList<AgentProbeDto> probes)
    {
        for (var max = AgentHeartbeat.MaxMessageLength; ; max /= 2)
        {
            var json = JsonSerializer.Serialize(probes.Select(p => p with { Message = AgentHeartbeat.Cut(p.Message, max) }), ApiJson.Options);
            if (json.Length <= AgentHost.MaxProbesJsonLength || max == 0)
                return json;
        }
    }

    /// <summary>
    /// How much a counter grew. The agent's counters start at zero with its process, so a counter lower than
    /// before means it restarted in between: everything it counts now happened since then.
    /// </summary>
    public static long Delta(long previous, long current) => current >= previous ? current - previous : current;
}
