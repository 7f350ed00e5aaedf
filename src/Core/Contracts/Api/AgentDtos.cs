namespace Vigil.Core.Contracts.Api;

/// <summary>
/// A host whose agent reports to the organization (kept up to date by every batch, heartbeats included), and what
/// it last said about remote configuration: the policy version it runs, the rules of it that failed to load on the
/// host, and why it refused the last policy it was offered (null when it took it).
/// </summary>
public sealed record AgentHostDto(
    string Hostname, string? AgentVersion, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    int? PolicyVersion = null, string? PolicySha256 = null, IReadOnlyList<AgentPolicyLoadError>? PolicyLoadErrors = null,
    string? PolicyRefusal = null, DateTimeOffset? PolicyReportedAt = null);

/// <summary>A rule of the running policy that did not load on the host.</summary>
public sealed record AgentPolicyLoadError(string RuleId, string Message);
