namespace Vigil.Data.Entities;

/// <summary>A host whose agent has reported to this org (inventory, kept by heartbeats and batches).</summary>
public sealed class AgentHost : IOrgOwned
{
    public const int MaxProbesJsonLength = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Hostname { get; set; }
    public string? AgentVersion { get; set; }
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }
    /// <summary>Remote configuration: the policy version the agent runs (null: none reported).</summary>
    public int? PolicyVersion { get; set; }
    public string? PolicySha256 { get; set; }
    /// <summary>Per-rule load errors of the running policy (JSON array of {rule_id, message}).</summary>
    public string? PolicyLoadErrorsJson { get; set; }
    /// <summary>Why the agent refused the last policy it was offered (tampered, unsigned, not compiling); null when it took it.</summary>
    public string? PolicyRefusal { get; set; }
    public DateTime? PolicyReportedAt { get; set; }

    /// <summary>
    /// Probe status per monitoring kind from the last heartbeat: a JSON array of <c>{kind, mechanism, state, message}</c>,
    /// at most one entry per known kind (process, kernel, file, dns) with bounded strings (see AgentHeartbeat in Ingest).
    /// </summary>
    public string? ProbesJson { get; set; }
    /// <summary>The agent's clock at its last heartbeat with counters: the time base of the rate.</summary>
    public DateTime? StatsReportedAt { get; set; }
    /// <summary>Kernel events the probes delivered since the agent started (<c>events_seen</c>).</summary>
    public long? EventsSeen { get; set; }
    public long? EventsMatched { get; set; }
    public long? EventsSent { get; set; }
    /// <summary>Events lost since the agent started: its own drops (queue, spool, refused) plus kernel losses.</summary>
    public long? EventsDropped { get; set; }
    /// <summary>Events lost between the last two heartbeats (after a restart: since the restart).</summary>
    public long? EventsDroppedLastInterval { get; set; }
    /// <summary>Events seen per second between the last two heartbeats; null until two have arrived.</summary>
    public double? EventsPerSecond { get; set; }
}
