using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Query.Evaluation;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Signals;

/// <summary>A page of matching signals and where to continue (null: nothing more in the range).</summary>
public sealed record SignalSearchPage(IReadOnlyList<Signal> Signals, string? NextCursor);

/// <summary>Counts per facet over the signals matching a search; Truncated when the scan limit was reached.</summary>
public sealed record SignalFacets(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Facets, int Total, bool Truncated);

/// <summary>
/// Searches the organization's signals (the context's query filter scopes every query). The time range, the
/// order and every query term on the signal's own columns run in the database
/// (<see cref="SignalQueryTranslator"/>); when a query also names what SQL cannot express (sample-event
/// attributes), the rows SQL narrowed down are checked in memory, scanning at most <see cref="ScanLimit"/>
/// signals per request — a page that stops there returns a cursor to go on.
/// </summary>
public sealed class SignalSearch(VigilDbContext db)
{
    public const int ScanLimit = 10_000;
    private const int Chunk = 500;

    private readonly Dictionary<string, QueryTags> _tags = new(StringComparer.Ordinal);

    public async Task<SignalSearchPage> SearchAsync(
        CompiledQuery? query, DateTime from, DateTime to, int limit, KeysetCursor? after, CancellationToken ct)
    {
        var filter = Filter(query);
        if (filter.Exact)
        {
            var rows = await Candidates(from, to, after, filter).Take(limit + 1).ToListAsync(ct);
            return rows.Count > limit
                ? new SignalSearchPage(rows.GetRange(0, limit), Cursor(rows[limit - 1]).Text)
                : new SignalSearchPage(rows, null);
        }

        var found = new List<Signal>(limit);
        var position = after;
        var scanned = 0;
        while (scanned < ScanLimit)
        {
            var chunk = await Candidates(from, to, position, filter).Take(Chunk).ToListAsync(ct);
            for (var i = 0; i < chunk.Count; i++)
            {
                scanned++;
                position = Cursor(chunk[i]);
                if (Matches(query!, chunk[i]))
                    found.Add(chunk[i]);
                if (found.Count == limit)
                {
                    var lastOfAll = chunk.Count < Chunk && i == chunk.Count - 1;
                    return new SignalSearchPage(found, lastOfAll ? null : position.Value.Text);
                }
            }
            if (chunk.Count < Chunk)
                return new SignalSearchPage(found, null);
        }
        return new SignalSearchPage(found, position?.Text);
    }

    public async Task<SignalFacets> FacetsAsync(CompiledQuery? query, DateTime from, DateTime to, CancellationToken ct)
    {
        var filter = Filter(query);
        if (filter.Exact)
            return await SignalFacetCounts.InDatabaseAsync(InRange(from, to, filter), ct);

        // Only the columns the facets and the query read: the message can be long and is rarely searched.
        var withMessage = query!.UsesFullText || query.Fields.Any(f => f.Name == "message");
        var rows = await Candidates(from, to, null, filter).Take(ScanLimit + 1).Select(s => new Signal
        {
            Id = s.Id, RuleId = s.RuleId, AgentRuleId = s.AgentRuleId, Title = s.Title, Message = withMessage ? s.Message : "",
            TagsJson = s.TagsJson, Severity = s.Severity, TriageState = s.TriageState, Hostname = s.Hostname, GroupKey = "",
            FirstSeen = s.FirstSeen, LastSeen = s.LastSeen, EventCount = s.EventCount, SampleEventJson = s.SampleEventJson,
            AssigneeUserId = s.AssigneeUserId, ContainerId = s.ContainerId, ContainerImage = s.ContainerImage,
        }).ToListAsync(ct);
        var counts = new SignalFacetCounts();
        foreach (var signal in rows.Take(ScanLimit))
        {
            if (Matches(query!, signal))
                counts.Add(signal);
        }
        return counts.ToFacets(truncated: rows.Count > ScanLimit);
    }

    private static SignalFilter Filter(CompiledQuery? query) => query is null ? SignalFilter.All : SignalQueryTranslator.Translate(query.Syntax);

    private static KeysetCursor Cursor(Signal signal) => new(signal.FirstSeen, signal.Id);

    private IQueryable<Signal> InRange(DateTime from, DateTime to, SignalFilter filter)
    {
        var query = db.Signals.AsNoTracking().Where(s => s.LastSeen >= from && s.FirstSeen <= to);
        return filter.MatchesEverything ? query : query.Where(filter.Predicate);
    }

    private IQueryable<Signal> Candidates(DateTime from, DateTime to, KeysetCursor? after, SignalFilter filter)
    {
        var query = InRange(from, to, filter);
        if (after is { } a)
            query = query.Where(s => s.FirstSeen < a.At || (s.FirstSeen == a.At && s.Id.CompareTo(a.Id) < 0));
        return query.OrderByDescending(s => s.FirstSeen).ThenByDescending(s => s.Id);
    }

    private bool Matches(CompiledQuery query, Signal signal)
    {
        // Signals of one rule share their tags: parse each distinct set once per search.
        if (!_tags.TryGetValue(signal.TagsJson, out var tags))
            _tags[signal.TagsJson] = tags = SignalDocument.Tags(signal.TagsJson);
        using var sample = JsonDocument.Parse(signal.SampleEventJson);
        return query.Matches(new SignalDocument(signal, sample.RootElement, tags));
    }
}
