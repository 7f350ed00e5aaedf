using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Domain;
using Vigil.Core.Query.Evaluation;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Signals;

/// <summary>A page of matching signals and where to continue (null: nothing more in the range).</summary>
public sealed record SignalSearchPage(IReadOnlyList<Signal> Signals, string? NextCursor);

/// <summary>Counts per facet over the signals matching a search; Truncated when the scan limit was reached.</summary>
public sealed record SignalFacets(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Facets, int Total, bool Truncated);

/// <summary>
/// Searches the organization's signals: the time range and order run in the database, the query runs on
/// each candidate in memory (the query language is richer than SQL can index here). Every search scans
/// at most <see cref="ScanLimit"/> signals; a page that stops there returns a cursor to go on.
/// </summary>
public sealed class SignalSearch(VigilDbContext db)
{
    public const int ScanLimit = 10_000;
    private const int Chunk = 500;

    public async Task<SignalSearchPage> SearchAsync(
        CompiledQuery? query, DateTime from, DateTime to, int limit, KeysetCursor? after, CancellationToken ct)
    {
        var found = new List<Signal>(limit);
        var position = after;
        var scanned = 0;
        while (scanned < ScanLimit)
        {
            var chunk = await Candidates(from, to, position).Take(Chunk).ToListAsync(ct);
            for (var i = 0; i < chunk.Count; i++)
            {
                scanned++;
                position = new KeysetCursor(chunk[i].FirstSeen, chunk[i].Id);
                if (Matches(query, chunk[i]))
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
        var facets = new Dictionary<string, Dictionary<string, int>>
        {
            ["severity"] = [], ["status"] = [], ["agent_rule"] = [], ["rule"] = [], ["host"] = [], ["tactic"] = [],
        };
        var total = 0;
        var rows = await Candidates(from, to, null).Take(ScanLimit + 1).ToListAsync(ct);
        foreach (var signal in rows.Take(ScanLimit))
        {
            if (!Matches(query, signal))
                continue;
            total++;
            Count(facets["severity"], signal.Severity.ToWire());
            Count(facets["status"], signal.TriageState.ToWire());
            Count(facets["agent_rule"], signal.AgentRuleId ?? "");
            Count(facets["rule"], signal.RuleId);
            Count(facets["host"], signal.Hostname);
            foreach (var tag in JsonSerializer.Deserialize<List<string>>(signal.TagsJson) ?? [])
                if (tag.StartsWith("tactic:", StringComparison.OrdinalIgnoreCase))
                    Count(facets["tactic"], tag["tactic:".Length..]);
        }
        return new SignalFacets(facets.ToDictionary(f => f.Key, f => (IReadOnlyDictionary<string, int>)f.Value), total, rows.Count > ScanLimit);
    }

    private IQueryable<Signal> Candidates(DateTime from, DateTime to, KeysetCursor? after)
    {
        var query = db.Signals.AsNoTracking().Where(s => s.LastSeen >= from && s.FirstSeen <= to);
        if (after is { } a)
            query = query.Where(s => s.FirstSeen < a.At || (s.FirstSeen == a.At && s.Id.CompareTo(a.Id) < 0));
        return query.OrderByDescending(s => s.FirstSeen).ThenByDescending(s => s.Id);
    }

    private static bool Matches(CompiledQuery? query, Signal signal)
    {
        if (query is null)
            return true;
        using var sample = JsonDocument.Parse(signal.SampleEventJson);
        return query.Matches(SignalDocument.From(signal, sample.RootElement));
    }

    private static void Count(Dictionary<string, int> facet, string value) => facet[value] = facet.GetValueOrDefault(value) + 1;
}
