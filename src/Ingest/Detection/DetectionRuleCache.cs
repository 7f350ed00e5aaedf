using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Detection;
using Vigil.Core.Query.Evaluation;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Ingest.Detection;

/// <summary>
/// Compiled enabled rules and suppressions per organization. A cheap stamp query (counts and last changes)
/// per batch tells when an organization's rules or suppressions changed, so edits apply to the very next
/// batch without a restart.
/// </summary>
public sealed class DetectionRuleCache
{
    private readonly ConcurrentDictionary<Guid, (string Stamp, DetectionRuleSet Set)> _byOrganization = new();

    /// <summary>The org's enabled rules plus the built-in ones, and its suppressions; the DbContext must act for the org.</summary>
    public async Task<DetectionRuleSet> GetAsync(VigilDbContext db, CancellationToken ct)
    {
        var org = db.Tenant.OrganizationId;
        var rulesStamp = await db.DetectionRules.GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Last = g.Max(r => r.UpdatedAt) })
            .FirstOrDefaultAsync(ct);
        var suppressionsStamp = await db.Suppressions.GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Last = g.Max(r => r.UpdatedAt) })
            .FirstOrDefaultAsync(ct);
        var stampText = $"{rulesStamp?.Count}:{rulesStamp?.Last.Ticks}/{suppressionsStamp?.Count}:{suppressionsStamp?.Last.Ticks}";
        if (_byOrganization.TryGetValue(org, out var cached) && cached.Stamp == stampText)
            return cached.Set;

        var rows = await db.DetectionRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(ct);
        var rules = new List<CompiledDetectionRule>(BuiltInDetectionRules.Compiled);
        // Rules are validated when saved; one that no longer compiles is skipped rather than stopping all detection.
        rules.AddRange(rows.Select(r => r.Compile()).OfType<CompiledDetectionRule>());
        var suppressions = new List<CompiledSuppression>();
        foreach (var row in await db.Suppressions.AsNoTracking().Where(x => x.Enabled).ToListAsync(ct))
        {
            if (QueryCompiler.TryCompile(row.Query, out var query, out _))
                suppressions.Add(new CompiledSuppression(row.Id, row.RuleId, query, row.ExpiresAt));
        }
        var set = new DetectionRuleSet(rules, suppressions);
        _byOrganization[org] = (stampText, set);
        return set;
    }
}
