using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Api.Features.Signals;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Query.Evaluation;
using Vigil.Core.Query.Syntax;
using Vigil.Data;

namespace Vigil.Api.Endpoints;

/// <summary>
/// Agent events of the organization, searched with the same syntax as signals (for hunting and tuning).
/// The time range runs in the database; the query on each event; at most 10,000 events are scanned per page.
/// </summary>
public static class AgentEventsEndpoints
{
    public const int ScanLimit = 10_000;
    private const int Chunk = 500;

    public static IEndpointRouteBuilder MapAgentEventsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v2/events", SearchAsync).WithTags("Agent events").WithName("SearchAgentEvents")
            .RequireAuthorization(ApiAuthentication.Policies.Read);
        return app;
    }

    private static async Task<Results<Ok<AgentEventPage>, ValidationProblem>> SearchAsync(
        VigilDbContext db, TimeProvider clock, string? query, string? from, string? to, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var size = limit ?? 50;
        if (size is < 1 or > 500)
            errors["limit"] = ["limit must be between 1 and 500."];
        CompiledQuery? compiled = null;
        if (!string.IsNullOrWhiteSpace(query) && !QueryCompiler.TryCompile(query, out compiled, out var diagnostics))
            errors["query"] = QueryDiagnostic.Describe(diagnostics);
        if (!TimeRange.TryParse(from, to, clock.GetUtcNow().UtcDateTime, out var start, out var end, out var problem))
            errors["from"] = [problem!];
        KeysetCursor? after = null;
        if (cursor is not null)
        {
            if (KeysetCursor.TryParse(cursor, out var parsed))
                after = parsed;
            else
                errors["cursor"] = ["cursor is not one this API returned."];
        }
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var found = new List<AgentEventDto>();
        var scanned = 0;
        string? next = null;
        while (scanned < ScanLimit && found.Count < size)
        {
            var rows = db.AgentEvents.AsNoTracking().Where(e => e.Timestamp >= start && e.Timestamp <= end);
            if (after is { } a)
                rows = rows.Where(e => e.Timestamp < a.At || (e.Timestamp == a.At && e.Id.CompareTo(a.Id) < 0));
            var chunk = await rows.OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id).Take(Chunk).ToListAsync(ct);
            foreach (var e in chunk)
            {
                scanned++;
                after = new KeysetCursor(e.Timestamp, e.Id);
                using var json = JsonDocument.Parse(e.Json);
                var document = new JsonEventDocument(json.RootElement, QueryTags.Parse([$"host:{e.Hostname}", "source:runtime-security-agent"]));
                if (compiled is null || compiled.Matches(document))
                    found.Add(new AgentEventDto(e.Id, e.Hostname, e.RuleId, e.EventType, new DateTimeOffset(e.Timestamp, TimeSpan.Zero), json.RootElement.Clone()));
                if (found.Count == size)
                    break;
            }
            next = chunk.Count == Chunk || found.Count == size ? after!.Value.Text : null;
            if (chunk.Count < Chunk)
                break;
        }
        return TypedResults.Ok(new AgentEventPage(found, next, scanned));
    }
}
