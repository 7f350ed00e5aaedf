using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;
using Vigil.Data;

namespace Vigil.Ingest.Detection;

/// <summary>
/// Compiled enabled rules per organization. A cheap stamp query (count and last change) per batch tells
/// when an organization's rules changed, so edits apply to the very next batch without a restart.
/// </summary>
public sealed class DetectionRuleCache
{
    private static readonly IReadOnlyList<CompiledDetectionRule> BuiltIns = BuiltInDetectionRules.Compile();
    private readonly ConcurrentDictionary<Guid, (string Stamp, IReadOnlyList<CompiledDetectionRule> Rules)> _byOrganization = new();

    /// <summary>The org's enabled rules plus the built-in ones; the DbContext must act for the org.</summary>
    public async Task<IReadOnlyList<CompiledDetectionRule>> GetAsync(VigilDbContext db, CancellationToken ct)
    {
        var org = db.Tenant.OrganizationId;
        var stamp = await db.DetectionRules.GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Last = g.Max(r => r.UpdatedAt) })
            .FirstOrDefaultAsync(ct);
        var stampText = stamp is null ? "0" : $"{stamp.Count}:{stamp.Last.Ticks}";
        if (_byOrganization.TryGetValue(org, out var cached) && cached.Stamp == stampText)
            return cached.Rules;

        var rows = await db.DetectionRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(ct);
        var rules = new List<CompiledDetectionRule>(BuiltIns);
        foreach (var row in rows)
        {
            var definition = JsonSerializer.Deserialize<DetectionRuleDefinition>(row.DefinitionJson, ApiJson.Options);
            // Rules are validated when saved; one that no longer compiles is skipped rather than stopping all detection.
            if (definition is not null && DetectionRuleCompiler.Compile(definition, row.Id, row.Version, row.CreatedAt).Rule is { } rule)
                rules.Add(rule);
        }
        _byOrganization[org] = (stampText, rules);
        return rules;
    }
}
