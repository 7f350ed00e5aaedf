using Microsoft.EntityFrameworkCore;
using Vigil.Api.Features.Notifications.Delivery;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Triage;

/// <summary>Who is acting (from the authenticated principal).</summary>
public sealed record Actor(Guid? UserId, string Name);

/// <summary>The outcome of a triage command: the new triage view, or why it was refused.</summary>
public abstract record TriageOutcome
{
    public sealed record Done(SignalTriageDto Triage) : TriageOutcome;
    public sealed record NotFound : TriageOutcome;
    public sealed record Invalid(Dictionary<string, string[]> Errors) : TriageOutcome;
    public sealed record Conflict(string Detail) : TriageOutcome;
}

/// <summary>
/// Triage of signals (Datadog's workflow): open → under_review → archived with a reason; archived signals
/// can be reopened within 30 days of detection. Every change is recorded in the signal's history, and the
/// signal's version guards against two people overwriting each other.
/// </summary>
public sealed class SignalTriageService(VigilDbContext db, TimeProvider clock, NotificationDispatcher notifications)
{
    public static readonly TimeSpan ReopenWindow = TimeSpan.FromDays(30);
    public const int MaxCommentLength = 4000;

    public async Task<TriageOutcome> UpdateStateAsync(Guid signalId, UpdateSignalStateRequest request, Actor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!TryParseState(request.State, out var state))
            errors["state"] = ["state must be open, under_review or archived."];
        else if (request.ArchiveReason is not null && state != TriageState.Archived)
            errors["archive_reason"] = ["archive_reason applies only when the state is archived."];
        if (request.ArchiveReason is not null && !ArchiveReasons.All.Contains(request.ArchiveReason))
            errors["archive_reason"] = [$"archive_reason must be one of: {string.Join(", ", ArchiveReasons.All.Order())}."];
        if (request.ArchiveComment is { Length: > MaxCommentLength })
            errors["archive_comment"] = [$"archive_comment is longer than {MaxCommentLength} characters."];
        if (errors.Count > 0)
            return new TriageOutcome.Invalid(errors);

        var signal = await db.Signals.FirstOrDefaultAsync(s => s.Id == signalId, ct);
        if (signal is null)
            return new TriageOutcome.NotFound();
        if (StaleVersion(signal, request.Version) is { } stale)
            return stale;
        var now = clock.GetUtcNow().UtcDateTime;
        if (signal.TriageState == TriageState.Archived && state != TriageState.Archived && now - signal.FirstSeen > ReopenWindow)
            return new TriageOutcome.Conflict("An archived signal can be reopened only within 30 days of its detection.");

        Record(signal, actor, "state", signal.TriageState.ToWire(), state.ToWire(), now);
        var reason = state == TriageState.Archived ? request.ArchiveReason ?? "none" : null;
        Record(signal, actor, "archive_reason", signal.ArchiveReason, reason, now);
        signal.ArchiveReason = reason;
        signal.ArchiveComment = state == TriageState.Archived ? request.ArchiveComment : null;
        signal.TriageState = state;
        signal.StateUpdatedAt = now;
        signal.StateUpdatedByUserId = actor.UserId;
        var archivedNow = signal.TriageState == TriageState.Archived && OriginalState(signal) != TriageState.Archived;
        var outcome = await SaveAsync(signal, ct);
        // An archived signal resolves its PagerDuty incidents (same dedup key as the trigger).
        if (outcome is TriageOutcome.Done && archivedNow)
            await notifications.SignalArchivedAsync(signal, ct);
        return outcome;
    }

    public async Task<TriageOutcome> UpdateAssigneeAsync(Guid signalId, UpdateSignalAssigneeRequest request, Actor actor, CancellationToken ct)
    {
        var signal = await db.Signals.FirstOrDefaultAsync(s => s.Id == signalId, ct);
        if (signal is null)
            return new TriageOutcome.NotFound();
        if (StaleVersion(signal, request.Version) is { } stale)
            return stale;
        User? assignee = null;
        if (request.AssigneeId is { } id)
        {
            // The org filter makes a user of another organization simply not found.
            assignee = await db.Users.FirstOrDefaultAsync(u => u.Id == id && !u.Disabled, ct);
            if (assignee is null)
                return new TriageOutcome.Invalid(new() { ["assignee_id"] = ["assignee_id is not an active user of this organization."] });
        }
        var oldName = signal.AssigneeUserId is { } old ? await UserEmailAsync(old, ct) : null;
        Record(signal, actor, "assignee", oldName, assignee?.Email, clock.GetUtcNow().UtcDateTime);
        signal.AssigneeUserId = assignee?.Id;
        return await SaveAsync(signal, ct);
    }

    /// <summary>Adds a comment; null when the signal does not exist in this organization.</summary>
    public async Task<SignalCommentDto?> AddCommentAsync(Guid signalId, string text, Actor actor, CancellationToken ct)
    {
        var signal = await db.Signals.FirstOrDefaultAsync(s => s.Id == signalId, ct);
        if (signal is null)
            return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var comment = new SignalComment { SignalId = signalId, AuthorUserId = actor.UserId, AuthorName = actor.Name, Text = text, CreatedAt = now };
        db.SignalComments.Add(comment);
        Record(signal, actor, "comment", null, text.Length <= 200 ? text : text[..200] + "…", now);
        await db.SaveChangesAsync(ct);
        return new SignalCommentDto(comment.Id, comment.AuthorName, comment.Text, comment.CreatedAt.ToUtcOffset());
    }

    public async Task<SignalTriageDto> ViewAsync(Signal signal, CancellationToken ct) => new(
        signal.Id, signal.TriageState.ToWire(), signal.ArchiveReason, signal.ArchiveComment, signal.AssigneeUserId,
        signal.AssigneeUserId is { } id ? await UserEmailAsync(id, ct) : null,
        signal.StateUpdatedAt is { } at ? at.ToUtcOffset() : null, signal.Version);

    private TriageState OriginalState(Signal signal) => db.Entry(signal).Property(s => s.TriageState).OriginalValue;

    private static TriageOutcome.Conflict? StaleVersion(Signal signal, int? version) =>
        version is { } v && v != signal.Version
            ? new TriageOutcome.Conflict($"The signal changed since version {v} (now {signal.Version}); reload it.")
            : null;

    private async Task<TriageOutcome> SaveAsync(Signal signal, CancellationToken ct)
    {
        signal.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new TriageOutcome.Conflict("Someone else changed the signal at the same time; reload it.");
        }
        return new TriageOutcome.Done(await ViewAsync(signal, ct));
    }

    private void Record(Signal signal, Actor actor, string field, string? oldValue, string? newValue, DateTime at)
    {
        if (oldValue == newValue)
            return;
        db.SignalChanges.Add(new SignalChange
        {
            SignalId = signal.Id, ActorUserId = actor.UserId, ActorName = actor.Name, Field = field,
            OldValue = oldValue, NewValue = newValue, At = at,
        });
    }

    private async Task<string?> UserEmailAsync(Guid userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);

    private static bool TryParseState(string? text, out TriageState state)
    {
        (var known, state) = text switch
        {
            "open" => (true, TriageState.Open),
            "under_review" => (true, TriageState.UnderReview),
            "archived" => (true, TriageState.Archived),
            _ => (false, TriageState.Open),
        };
        return known;
    }
}
