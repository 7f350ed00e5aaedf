using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>Signals of the caller's organization (the query filter scopes every query).</summary>
public static class SignalsEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapSignalsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v2/signals").WithTags("Signals").RequireAuthorization(ApiAuthentication.Policies.Read);
        group.MapGet("/", ListAsync).WithName("ListSignals");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetSignal");
        return app;
    }

    /// <summary>Newest first (by first seen, then id); keyset-paged with an opaque cursor.</summary>
    private static async Task<Results<Ok<SignalPage>, ValidationProblem>> ListAsync(
        VigilDbContext db, int? limit, string? cursor, CancellationToken ct)
    {
        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {MaxPageSize}."] });

        var query = db.Signals.AsNoTracking();
        if (cursor is not null)
        {
            if (!SignalCursor.TryParse(cursor, out var after))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["cursor is not one this API returned."] });
            query = query.Where(s => s.FirstSeen < after.FirstSeen || (s.FirstSeen == after.FirstSeen && s.Id.CompareTo(after.Id) < 0));
        }

        var rows = await query.OrderByDescending(s => s.FirstSeen).ThenByDescending(s => s.Id).Take(size + 1).ToListAsync(ct);
        var next = rows.Count > size ? SignalCursor.Format(rows[size - 1]) : null;
        return TypedResults.Ok(new SignalPage(rows.Take(size).Select(ToDto).ToList(), next));
    }

    private static async Task<Results<Ok<SignalDetailDto>, NotFound>> GetAsync(Guid id, VigilDbContext db, CancellationToken ct)
    {
        var signal = await db.Signals.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (signal is null)
            return TypedResults.NotFound();
        using var sample = JsonDocument.Parse(signal.SampleEventJson);
        var tags = JsonSerializer.Deserialize<List<string>>(signal.TagsJson) ?? [];
        return TypedResults.Ok(new SignalDetailDto(ToDto(signal), signal.GroupKey, sample.RootElement.Clone(),
            signal.Message, tags, signal.Reason, signal.RuleVersion));
    }

    internal static SignalDto ToDto(Signal s) => new(
        s.Id, s.RuleId, s.Title, s.Severity.ToWire(), s.TriageState.ToWire(), s.Hostname,
        new DateTimeOffset(s.FirstSeen, TimeSpan.Zero), new DateTimeOffset(s.LastSeen, TimeSpan.Zero), s.EventCount, s.AgentRuleId);

    /// <summary>"ticks:guid" — the position of the last row of a page.</summary>
    private readonly record struct SignalCursor(DateTime FirstSeen, Guid Id)
    {
        public static string Format(Signal s) => string.Create(CultureInfo.InvariantCulture, $"{s.FirstSeen.Ticks}:{s.Id:N}");

        public static bool TryParse(string text, out SignalCursor cursor)
        {
            cursor = default;
            var parts = text.Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) ||
                ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || !Guid.TryParseExact(parts[1], "N", out var id))
                return false;
            cursor = new SignalCursor(new DateTime(ticks, DateTimeKind.Utc), id);
            return true;
        }
    }
}
