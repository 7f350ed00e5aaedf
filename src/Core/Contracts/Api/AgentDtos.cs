namespace Vigil.Core.Contracts.Api;

/// <summary>
/// A host whose agent reports to the organization (kept up to date by every batch, heartbeats included), and what
/// it last said about remote configuration: the policy version it runs, the rules of it that failed to load on the
/// host, and why it refused the last policy it was offered (null when it took it).
/// </summary>
public sealed record AgentHostDto(
    string Hostname, string? AgentVersion, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    int? PolicyVersion = null, string? PolicySha256 = null, IReadOnlyList<AgentPolicyLoadError>? PolicyLoadErrors = null,
    string? PolicyRefusal = null, DateTimeOffset? PolicyReportedAt = null,
    AgentHealthDto? Health = null);

/// <summary>
/// What the agent's last heartbeats said about itself: the probe serving each monitoring kind, events seen per
/// second between the last two heartbeats (null until two arrived), and events lost since it started and in the
/// last interval. Counters restart from zero when the agent restarts.
/// </summary>
public sealed record AgentHealthDto(
    IReadOnlyList<AgentProbeDto> Probes, DateTimeOffset? ReportedAt, double? EventsPerSecond,
    long? EventsSeen, long? EventsMatched, long? EventsSent, long? EventsDropped, long? EventsDroppedLastInterval);

/// <summary>
/// The probe serving one monitoring kind (<c>process</c>, <c>kernel</c>, <c>file</c>, <c>dns</c>): its mechanism
/// (<c>ebpf</c>, <c>fanotify</c> …), <c>ok</c> / <c>degraded</c> / <c>failed</c>, and the agent's own words.
/// </summary>
public sealed record AgentProbeDto(string Kind, string Mechanism, string State, string Message);

/// <summary>A rule of the running policy that did not load on the host.</summary>
public sealed record AgentPolicyLoadError(string RuleId, string Message);
