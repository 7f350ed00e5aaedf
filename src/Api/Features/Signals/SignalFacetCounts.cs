using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Domain;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Signals;

/// <summary>
/// The explorer's facets — severity, triage status, agent rule, detection rule, host, MITRE tactic, assignee, container,
/// image — counted either by the database (one GROUP BY per facet) or signal by signal when part of the query ran in
/// memory. Signals outside containers count under neither container nor image (there is no "none" to click).
/// </summary>
public sealed class SignalFacetCounts
{
    private const string TacticPrefix = "tactic:";

    private readonly Dictionary<string, Dictionary<string, int>> _facets = new()
    {
        ["severity"] = [], ["status"] = [], ["agent_rule"] = [], ["rule"] = [], ["host"] = [], ["tactic"] = [], ["assignee"] = [],
        ["container"] = [], ["image"] = [],
    };
    private int _total;

    public void Add(Signal signal)
    {
        _total++;
        Count("severity", signal.Severity.ToWire(), 1);
        Count("status", signal.TriageState.ToWire(), 1);
        Count("agent_rule", signal.AgentRuleId ?? "", 1);
        Count("rule", signal.RuleId, 1);
        Count("host", signal.Hostname, 1);
        Count("assignee", signal.AssigneeUserId?.ToString("D") ?? "", 1);
        CountTactics(signal.TagsJson, 1);
        if (signal.ContainerId is { } container)
            Count("container", container, 1);
        if (signal.ContainerImage is { } image)
            Count("image", image, 1);
    }

    public SignalFacets ToFacets(bool truncated) =>
        new(_facets.ToDictionary(f => f.Key, f => (IReadOnlyDictionary<string, int>)f.Value), _total, truncated);

    /// <summary>Counts in SQL over the matching rows; the tags are grouped by their whole JSON (rules share a few sets).</summary>
    public static async Task<SignalFacets> InDatabaseAsync(IQueryable<Signal> matching, CancellationToken ct)
    {
        var counts = new SignalFacetCounts();
        foreach (var g in await matching.GroupBy(s => s.Severity).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
        {
            counts.Count("severity", g.Key.ToWire(), g.N);
            counts._total += g.N;
        }
        foreach (var g in await matching.GroupBy(s => s.TriageState).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            counts.Count("status", g.Key.ToWire(), g.N);
        foreach (var g in await matching.GroupBy(s => s.AgentRuleId).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            counts.Count("agent_rule", g.Key ?? "", g.N);
        foreach (var g in await matching.GroupBy(s => s.RuleId).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            counts.Count("rule", g.Key, g.N);
        foreach (var g in await matching.GroupBy(s => s.Hostname).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            counts.Count("host", g.Key, g.N);
        foreach (var g in await matching.GroupBy(s => s.AssigneeUserId).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            counts.Count("assignee", g.Key?.ToString("D") ?? "", g.N);
        foreach (var g in await matching.GroupBy(s => s.TagsJson).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            counts.CountTactics(g.Key, g.N);
        // Signals outside containers are left out in SQL: most have none, and "none" is not a value to click.
        foreach (var g in await matching.Where(s => s.ContainerId != null).GroupBy(s => s.ContainerId).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            counts.Count("container", g.Key!, g.N);
        foreach (var g in await matching.Where(s => s.ContainerImage != null).GroupBy(s => s.ContainerImage).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct))
            counts.Count("image", g.Key!, g.N);
        return counts.ToFacets(truncated: false);
    }

    private void CountTactics(string tagsJson, int n)
    {
        foreach (var tag in JsonSerializer.Deserialize<List<string>>(tagsJson) ?? [])
            if (tag.StartsWith(TacticPrefix, StringComparison.OrdinalIgnoreCase))
                Count("tactic", tag[TacticPrefix.Length..], n);
    }

    private void Count(string facet, string value, int n) => _facets[facet][value] = _facets[facet].GetValueOrDefault(value) + n;
}
