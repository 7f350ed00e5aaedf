namespace Vigil.Core.Contracts.Api;

/// <summary>
/// Change a signal's triage state. <c>Version</c>, when given, must be the signal's current version
/// (from its last read): a stale one is refused with 409 so two responders do not overwrite each other.
/// </summary>
public sealed record UpdateSignalStateRequest(string State, string? ArchiveReason = null, string? ArchiveComment = null, int? Version = null);

/// <summary>Assign a signal to a user of the organization, or unassign it with null.</summary>
public sealed record UpdateSignalAssigneeRequest(Guid? AssigneeId, int? Version = null);

public sealed record AddSignalCommentRequest(string Text);

public sealed record SignalTriageDto(
    Guid Id, string Status, string? ArchiveReason, string? ArchiveComment, Guid? AssigneeId, string? AssigneeName,
    DateTimeOffset? StateUpdatedAt, int Version);

public sealed record SignalCommentDto(Guid Id, string Author, string Text, DateTimeOffset CreatedAt);

public sealed record SignalChangeDto(string Field, string? OldValue, string? NewValue, string Actor, DateTimeOffset At);

/// <summary>Datadog's archive reasons.</summary>
public static class ArchiveReasons
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "none", "false_positive", "testing_or_maintenance", "investigated_case_opened", "true_positive_benign",
        "true_positive_malicious", "remediated", "other",
    };
}
