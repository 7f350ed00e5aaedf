namespace Vigil.Core.Contracts.Api;

/// <summary>A host whose agent reports to the organization (kept up to date by every batch, heartbeats included).</summary>
public sealed record AgentHostDto(string Hostname, string? AgentVersion, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
