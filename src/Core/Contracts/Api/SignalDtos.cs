namespace Vigil.Core.Contracts.Api;

/// <summary>A signal as the REST API returns it (snake_case on the wire).</summary>
public sealed record SignalDto(
    Guid Id,
    string RuleId,
    string Title,
    string Severity,
    string Status,
    string Hostname,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    int EventCount);

/// <summary>A signal with what was kept of its events, for the side panel.</summary>
public sealed record SignalDetailDto(SignalDto Signal, string GroupKey, System.Text.Json.JsonElement SampleEvent);

/// <summary>One page of signals, newest first; pass <c>NextCursor</c> back as <c>cursor</c> for the next page.</summary>
public sealed record SignalPage(IReadOnlyList<SignalDto> Data, string? NextCursor);
