namespace Vigil.Web.Signals;

/// <summary>What a responder asked for in the triage form; the signal panel sends it to the Api.</summary>
public abstract record TriageCommand
{
    public sealed record ChangeState(string State, string? ArchiveReason, string? ArchiveComment) : TriageCommand;
    public sealed record Assign(Guid? AssigneeId) : TriageCommand;
    public sealed record Comment(string Text) : TriageCommand;

    public static readonly IReadOnlyList<(string Value, string Label)> States =
    [
        ("open", "Open"), ("under_review", "Under review"), ("archived", "Archived"),
    ];

    /// <summary>Datadog's archive reasons, in the order Datadog lists them.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> ArchiveReasons =
    [
        ("false_positive", "False positive"), ("testing_or_maintenance", "Testing or maintenance"),
        ("investigated_case_opened", "Investigated, case opened"), ("true_positive_benign", "True positive, benign"),
        ("true_positive_malicious", "True positive, malicious"), ("remediated", "Remediated"), ("other", "Other"), ("none", "None"),
    ];
}
