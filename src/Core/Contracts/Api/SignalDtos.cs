namespace Vigil.Core.Contracts.Api;

/// <summary>
/// A signal as the REST API returns it (snake_case on the wire). <c>RuleId</c> is the detection rule that
/// raised it; <c>AgentRuleId</c> the agent rule of its first event.
/// </summary>
public sealed record SignalDto(
    Guid Id,
    string RuleId,
    string Title,
    string Severity,
    string Status,
    string Hostname,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    int EventCount,
    string? AgentRuleId = null);

/// <summary>A signal with its rule's message, tags, why it fired and what was kept of its events.</summary>
public sealed record SignalDetailDto(
    SignalDto Signal,
    string GroupKey,
    System.Text.Json.JsonElement SampleEvent,
    string Message = "",
    IReadOnlyList<string>? Tags = null,
    string? Reason = null,
    int RuleVersion = 0,
    SignalEntities? Entities = null);

/// <summary>One page of signals, newest first; pass <c>NextCursor</c> back as <c>cursor</c> for the next page.</summary>
public sealed record SignalPage(IReadOnlyList<SignalDto> Data, string? NextCursor);
