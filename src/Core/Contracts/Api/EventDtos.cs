using System.Text.Json;

namespace Vigil.Core.Contracts.Api;

/// <summary>A stored agent event: the agent's JSON plus what Vigil recorded on receipt.</summary>
public sealed record AgentEventDto(Guid Id, string Hostname, string RuleId, string? EventType, DateTimeOffset Timestamp, JsonElement Event);

public sealed record AgentEventPage(IReadOnlyList<AgentEventDto> Data, string? NextCursor, int Scanned);

/// <summary>Run a rule over the stored events of the last hours without saving anything.</summary>
public sealed record DetectionRuleTestRequest(Detection.DetectionRuleDefinition Rule, int Hours = 24);

/// <summary>What the rule would have raised: one entry per signal, with its group, severity and event count.</summary>
public sealed record DetectionRuleTestResult(int EventsScanned, bool Truncated, IReadOnlyList<DetectionRuleTestSignal> Signals);

public sealed record DetectionRuleTestSignal(string Title, string GroupKey, string Severity, int EventCount, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
