using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Data;
using Vigil.Data.Entities;
using Vigil.Ingest.Intake;
using static Vigil.Ingest.Intake.AgentRequestAuthentication;

namespace Vigil.Ingest.Responses;

/// <summary>
/// Response actions for agents, over the agent API key: an agent long-polls the actions pending for its host and
/// reports each outcome. Delivery is at least once: an action delivered but never answered is offered again after
/// <see cref="RedeliverAfter"/>, and one no agent took within <see cref="ExpireAfter"/> expires (a kill that late would
/// surprise whoever asked).
/// </summary>
public static class AgentResponseEndpoints
{
    public const string Route = "/api/v2/agent/responses";
    public const int MaxWaitSeconds = 60;
    public const int MaxActionsPerPoll = 20;
    public const int MaxDetailLength = 1_000;
    public static readonly TimeSpan RedeliverAfter = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ExpireAfter = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static IEndpointRouteBuilder MapAgentResponseEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Route).WithTags("Agent responses").DisableAntiforgery();
        group.MapGet("/", PollAsync).WithName("PollAgentResponses");
        group.MapPost("/{id:guid}/result", ReportAsync).WithName("ReportAgentResponse");
        return app;
    }

    internal static async Task<Results<Ok<List<AgentResponseActionDto>>, ProblemHttpResult>> PollAsync(
        HttpContext context, string? hostname, int? wait, AgentKeyResolver keys, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await AuthenticateAsync(context, keys, db, ct) is { } denied) return denied;
        if (string.IsNullOrWhiteSpace(hostname) || hostname.Length > 255)
            return Problem(StatusCodes.Status400BadRequest, "Invalid hostname", "hostname is required (at most 255 characters).");
        if (wait is < 0 or > MaxWaitSeconds)
            return Problem(StatusCodes.Status400BadRequest, "Invalid wait", $"wait is a number of seconds from 0 to {MaxWaitSeconds}.");
        var deadline = clock.GetUtcNow().AddSeconds(wait ?? 0);
        while (true)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await db.ResponseActions.Where(a => a.Hostname == hostname && (a.State == ResponseActionStates.Pending || a.State == ResponseActionStates.Delivered)
                    && a.RequestedAt < now - ExpireAfter)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.State, ResponseActionStates.Expired).SetProperty(a => a.CompletedAt, now)
                    .SetProperty(a => a.Detail, "no agent of the host took the action in time"), ct);
            var redeliverBefore = now - RedeliverAfter;
            var due = await db.ResponseActions
                .Where(a => a.Hostname == hostname && (a.State == ResponseActionStates.Pending
                    || (a.State == ResponseActionStates.Delivered && a.DeliveredAt < redeliverBefore)))
                .OrderBy(a => a.RequestedAt).Take(MaxActionsPerPoll).ToListAsync(ct);
            if (due.Count > 0 || clock.GetUtcNow() >= deadline)
            {
                foreach (var action in due)
                {
                    action.State = ResponseActionStates.Delivered;
                    action.DeliveredAt = now;
                }
                await db.SaveChangesAsync(ct);
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(due.Select(a => new AgentResponseActionDto(a.Id, a.Kind, a.ProcessId, a.ExecutablePath, a.UnixSignal)).ToList());
            }
            await Task.Delay(PollInterval, ct);
        }
    }

    internal static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ReportAsync(
        Guid id, AgentResponseResultDto result, HttpContext context, AgentKeyResolver keys, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await AuthenticateAsync(context, keys, db, ct) is { } denied) return denied;
        if (!ResponseActionStates.Outcomes.Contains(result.Outcome))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["outcome"] = ["outcome must be performed, refused or failed."] });
        var action = await db.ResponseActions.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (action is null) return Problem(StatusCodes.Status404NotFound, "Unknown action", "No response action of this organization has this id.");
        if (action.State is not (ResponseActionStates.Pending or ResponseActionStates.Delivered))
            return TypedResults.NoContent(); // already answered (a redelivery's second answer) or expired: the first outcome stands

        var now = clock.GetUtcNow().UtcDateTime;
        action.State = result.Outcome;
        action.Detail = result.Detail is null ? null : result.Detail[..Math.Min(result.Detail.Length, MaxDetailLength)];
        action.CompletedAt = now;
        action.AgentLatencyMs = result.LatencyMs is >= 0 and < 3_600_000 ? result.LatencyMs : null;
        db.SignalChanges.Add(new SignalChange
        {
            SignalId = action.SignalId, ActorName = $"agent: {action.Hostname}", Field = "response",
            OldValue = $"kill pid {action.ProcessId}", NewValue = action.Detail is null ? action.State : $"{action.State}: {action.Detail}", At = now,
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
