namespace Vigil.Core.Domain;

/// <summary>Triage workflow of a signal: open → under_review → archived (Datadog's states).</summary>
public enum TriageState
{
    Open = 0,
    UnderReview = 1,
    Archived = 2,
}

public static class TriageStateNames
{
    public static string ToWire(this TriageState state) => state switch
    {
        TriageState.Open => "open",
        TriageState.UnderReview => "under_review",
        TriageState.Archived => "archived",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
