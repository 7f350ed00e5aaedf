namespace Vigil.Core.Content;

/// <summary>Cases of one agent rule: events (agent-event JSON) it must match and look-alikes it must not.</summary>
public sealed record AgentRuleTestCases(string RuleId, string FileName, IReadOnlyList<ContentEventCase> Match, IReadOnlyList<ContentEventCase> NoMatch);

/// <summary>One agent event of a test case, kept as its JSON text.</summary>
public sealed record ContentEventCase(string Name, string EventJson);

/// <summary>Cases of one detection rule: event sequences and the signals they must (or must not) raise.</summary>
public sealed record DetectionRuleTestCases(string RuleId, string FileName, IReadOnlyList<DetectionRuleTestCase> Cases);

/// <summary>
/// Events replayed in order through the rule; <see cref="ExpectedSignals"/> signals must come out, the
/// first one with <see cref="ExpectedSeverity"/> (null when none is expected).
/// </summary>
public sealed record DetectionRuleTestCase(string Name, int ExpectedSignals, string? ExpectedSeverity, IReadOnlyList<DetectionTestEvent> Events);

/// <summary>An event at <see cref="OffsetSeconds"/> from the case's start, sent by <see cref="Host"/> with extra tags (<c>env:staging</c>).</summary>
public sealed record DetectionTestEvent(long OffsetSeconds, string Host, IReadOnlyList<string> Tags, string EventJson);
