using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Api.Features.Signals;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Core.Query.Evaluation;
using Vigil.Core.Query.Syntax;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>Signals of the caller's organization (the query filter scopes every query).</summary>
public static class SignalsEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    public const int MaxRelated = 20;

    public static IEndpointRouteBuilder MapSignalsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v2/signals").WithTags("Signals").RequireAuthorization(ApiAuthentication.Policies.Read);
        group.MapGet("/", ListAsync).WithName("SearchSignals");
        group.MapGet("/facets", FacetsAsync).WithName("SignalFacets");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetSignal");
        group.MapGet("/{id:guid}/events", EventsAsync).WithName("ListSignalEvents");
        group.MapGet("/{id:guid}/related", RelatedAsync).WithName("ListRelatedSignals");
        return app;
    }

    /// <summary>
    /// Newest first (by first seen), optionally filtered by a search <c>query</c> and a time range
    /// (<c>from</c>/<c>to</c>: ISO 8601 or <c>now-15m</c>; default the last 24 h, with no range at all
    /// when neither is given and no query is set); keyset-paged with an opaque cursor.
    /// </summary>
    private static async Task<Results<Ok<SignalPage>, ValidationProblem>> ListAsync(
        SignalSearch search, TimeProvider clock, int? limit, string? cursor, string? query, string? from, string? to, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
            errors["limit"] = [$"limit must be between 1 and {MaxPageSize}."];
        KeysetCursor? after = null;
        if (cursor is not null)
        {
            if (KeysetCursor.TryParse(cursor, out var parsed))
                after = parsed;
            else
                errors["cursor"] = ["cursor is not one this API returned."];
        }
        var (compiled, range) = ParseFilter(query, from, to, clock, errors, allTimeByDefault: true);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var page = await search.SearchAsync(compiled, range.From, range.To, size, after, ct);
        return TypedResults.Ok(new SignalPage(page.Signals.Select(ToDto).ToList(), page.NextCursor));
    }

    private static async Task<Results<Ok<SignalFacets>, ValidationProblem>> FacetsAsync(
        SignalSearch search, TimeProvider clock, string? query, string? from, string? to, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (compiled, range) = ParseFilter(query, from, to, clock, errors, allTimeByDefault: false);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await search.FacetsAsync(compiled, range.From, range.To, ct));
    }

    private static async Task<Results<Ok<SignalDetailDto>, NotFound>> GetAsync(Guid id, VigilDbContext db, CancellationToken ct)
    {
        var signal = await db.Signals.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (signal is null)
            return TypedResults.NotFound();
        using var sample = JsonDocument.Parse(signal.SampleEventJson);
        var tags = JsonSerializer.Deserialize<List<string>>(signal.TagsJson) ?? [];
        return TypedResults.Ok(new SignalDetailDto(ToDto(signal), signal.GroupKey, sample.RootElement.Clone(),
            signal.Message, tags, signal.Reason, signal.RuleVersion, SignalEntities.From(sample.RootElement, signal.Hostname)));
    }

    /// <summary>The agent events linked to the signal (the first 100), oldest first.</summary>
    private static async Task<Results<Ok<List<JsonElement>>, NotFound>> EventsAsync(Guid id, VigilDbContext db, CancellationToken ct)
    {
        if (!await db.Signals.AnyAsync(s => s.Id == id, ct))
            return TypedResults.NotFound();
        var json = await db.SignalEvents.Where(l => l.SignalId == id)
            .Join(db.AgentEvents, l => l.EventId, e => e.Id, (l, e) => e)
            .OrderBy(e => e.Timestamp).Select(e => e.Json).ToListAsync(ct);
        return TypedResults.Ok(json.Select(j => JsonDocument.Parse(j).RootElement.Clone()).ToList());
    }

    /// <summary>Other signals of the same host or group within a day of this one, newest first.</summary>
    private static async Task<Results<Ok<List<SignalDto>>, NotFound>> RelatedAsync(Guid id, VigilDbContext db, CancellationToken ct)
    {
        var signal = await db.Signals.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (signal is null)
            return TypedResults.NotFound();
        var from = signal.FirstSeen.AddDays(-1);
        var to = signal.LastSeen.AddDays(1);
        var related = await db.Signals.AsNoTracking()
            .Where(s => s.Id != id && (s.Hostname == signal.Hostname || s.GroupKey == signal.GroupKey) && s.LastSeen >= from && s.FirstSeen <= to)
            .OrderByDescending(s => s.FirstSeen).Take(MaxRelated).ToListAsync(ct);
        return TypedResults.Ok(related.Select(ToDto).ToList());
    }

    private static (CompiledQuery? Query, (DateTime From, DateTime To) Range) ParseFilter(
        string? query, string? from, string? to, TimeProvider clock, Dictionary<string, string[]> errors, bool allTimeByDefault)
    {
        CompiledQuery? compiled = null;
        if (!string.IsNullOrWhiteSpace(query) && !QueryCompiler.TryCompile(query, out compiled, out var diagnostics))
            errors["query"] = QueryDiagnostic.Describe(diagnostics);
        if (allTimeByDefault && from is null && to is null)
            return (compiled, (DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc)));
        if (!TimeRange.TryParse(from, to, clock.GetUtcNow().UtcDateTime, out var start, out var end, out var problem))
            errors["from"] = [problem!];
        return (compiled, (start, end));
    }

    internal static SignalDto ToDto(Signal s) => new(
        s.Id, s.RuleId, s.Title, s.Severity.ToWire(), s.TriageState.ToWire(), s.Hostname,
        new DateTimeOffset(s.FirstSeen, TimeSpan.Zero), new DateTimeOffset(s.LastSeen, TimeSpan.Zero), s.EventCount, s.AgentRuleId);
}
