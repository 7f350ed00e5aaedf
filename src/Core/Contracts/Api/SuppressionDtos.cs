namespace Vigil.Core.Contracts.Api;

/// <summary>Create or replace a suppression: events matching <c>Query</c> are hidden from the rule (or all rules).</summary>
public sealed record SuppressionRequest(string Name, string Query, string Reason, Guid? RuleId = null, DateTimeOffset? ExpiresAt = null, bool Enabled = true);

public sealed record SuppressionDto(
    Guid Id, string Name, string Query, string Reason, Guid? RuleId, string Owner, DateTimeOffset? ExpiresAt, bool Enabled, DateTimeOffset CreatedAt);

/// <summary>What a suppression would have hidden over the last <c>Days</c> days, before saving it.</summary>
public sealed record SuppressionPreviewRequest(string Query, Guid? RuleId = null, int Days = 7);

public sealed record SuppressionPreviewDto(int EventsHidden, int SignalsHidden, int EventsScanned, bool Truncated);
