using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Api.Features.Triage;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;

namespace Vigil.Api.Endpoints;

/// <summary>Triage of a signal: state, assignee, comments (responders and admins), and its history (anyone).</summary>
public static class SignalTriageEndpoints
{
    public static IEndpointRouteBuilder MapSignalTriageEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v2/signals/{id:guid}").WithTags("Signals").RequireAuthorization(ApiAuthentication.Policies.Read);
        read.MapGet("/triage", GetTriageAsync).WithName("GetSignalTriage");
        read.MapGet("/comments", ListCommentsAsync).WithName("ListSignalComments");
        read.MapGet("/history", ListHistoryAsync).WithName("ListSignalHistory");

        var write = app.MapGroup("/api/v2/signals/{id:guid}").WithTags("Signals").RequireAuthorization(ApiAuthentication.Policies.Write);
        write.MapPatch("/state", UpdateStateAsync).WithName("UpdateSignalState");
        write.MapPatch("/assignee", UpdateAssigneeAsync).WithName("UpdateSignalAssignee");
        write.MapPost("/comments", AddCommentAsync).WithName("AddSignalComment");
        return app;
    }

    private static async Task<Results<Ok<SignalTriageDto>, NotFound>> GetTriageAsync(
        Guid id, VigilDbContext db, SignalTriageService triage, CancellationToken ct)
    {
        var signal = await db.Signals.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return signal is null ? TypedResults.NotFound() : TypedResults.Ok(await triage.ViewAsync(signal, ct));
    }

    private static async Task<Results<Ok<SignalTriageDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateStateAsync(
        Guid id, UpdateSignalStateRequest request, ClaimsPrincipal caller, SignalTriageService triage, CancellationToken ct) =>
        ToResult(await triage.UpdateStateAsync(id, request, ActorOf(caller), ct));

    private static async Task<Results<Ok<SignalTriageDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAssigneeAsync(
        Guid id, UpdateSignalAssigneeRequest request, ClaimsPrincipal caller, SignalTriageService triage, CancellationToken ct) =>
        ToResult(await triage.UpdateAssigneeAsync(id, request, ActorOf(caller), ct));

    private static async Task<Results<Created<SignalCommentDto>, NotFound, ValidationProblem>> AddCommentAsync(
        Guid id, AddSignalCommentRequest request, ClaimsPrincipal caller, SignalTriageService triage, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > SignalTriageService.MaxCommentLength)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["text"] = [$"text is required (at most {SignalTriageService.MaxCommentLength} characters)."],
            });
        var comment = await triage.AddCommentAsync(id, request.Text.Trim(), ActorOf(caller), ct);
        return comment is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v2/signals/{id}/comments", comment);
    }

    private static async Task<Results<Ok<List<SignalCommentDto>>, NotFound>> ListCommentsAsync(Guid id, VigilDbContext db, CancellationToken ct)
    {
        if (!await db.Signals.AnyAsync(s => s.Id == id, ct))
            return TypedResults.NotFound();
        var comments = await db.SignalComments.AsNoTracking().Where(c => c.SignalId == id).OrderBy(c => c.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(comments.Select(c => new SignalCommentDto(c.Id, c.AuthorName, c.Text, c.CreatedAt.ToUtcOffset())).ToList());
    }

    private static async Task<Results<Ok<List<SignalChangeDto>>, NotFound>> ListHistoryAsync(Guid id, VigilDbContext db, CancellationToken ct)
    {
        if (!await db.Signals.AnyAsync(s => s.Id == id, ct))
            return TypedResults.NotFound();
        var changes = await db.SignalChanges.AsNoTracking().Where(c => c.SignalId == id).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(ct);
        return TypedResults.Ok(changes.Select(c => new SignalChangeDto(c.Field, c.OldValue, c.NewValue, c.ActorName, c.At.ToUtcOffset())).ToList());
    }

    private static Results<Ok<SignalTriageDto>, NotFound, ValidationProblem, ProblemHttpResult> ToResult(TriageOutcome outcome) => outcome switch
    {
        TriageOutcome.Done done => TypedResults.Ok(done.Triage),
        TriageOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors),
        TriageOutcome.Conflict conflict => TypedResults.Problem(title: "Conflict", detail: conflict.Detail, statusCode: StatusCodes.Status409Conflict),
        _ => TypedResults.NotFound(),
    };

    /// <summary>A person acts as themselves; an application key as "key: name", with no user id.</summary>
    internal static Actor ActorOf(ClaimsPrincipal caller)
    {
        var name = caller.FindFirstValue(ClaimTypes.Name) ?? "unknown";
        return caller.FindFirstValue(ApiAuthentication.KindClaim) == "session"
            && Guid.TryParse(caller.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            ? new Actor(userId, name)
            : new Actor(null, $"key: {name}");
    }
}
