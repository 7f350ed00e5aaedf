using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.RemoteConfig;

/// <summary>
/// Loads the out-of-the-box catalogue into the current organization, or upgrades it to the catalogue's release:
/// new rules are added (enabled), changed ones get the new definition, removed ones go. What the organization
/// decided is kept: a disabled rule stays disabled, a blocking one stays blocking, clones and custom rules are
/// never touched. Then the effective policy is published. Runs in one transaction: all of it or nothing.
/// </summary>
public sealed partial class OrganizationContentSeeder(
    VigilDbContext db, OutOfTheBoxContent content, PolicyPublisher publisher, TimeProvider clock, ILogger<OrganizationContentSeeder> logger)
{
    public const string Publisher = "content upgrade";

    /// <summary>True when something changed (the org was behind the catalogue).</summary>
    public async Task<bool> SeedAsync(CancellationToken ct)
    {
        var org = await db.Organizations.SingleAsync(ct);
        if (org.ContentVersion == content.Version && await db.PolicyRevisions.AnyAsync(ct))
            return false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await SeedAgentRulesAsync(now, ct);
        await SeedDetectionRulesAsync(now, ct);
        org.ContentVersion = content.Version;
        await db.SaveChangesAsync(ct);
        var published = await publisher.PublishAsync(Publisher, ct);
        if (published.Revision is null)
        {
            // The catalogue is tested to load; what breaks here is an org's own rule against new macros. Keep the old state.
            LogPublishRefused(logger, org.Id, content.Version, string.Join("; ", published.Errors));
            await transaction.RollbackAsync(ct);
            return false;
        }
        await transaction.CommitAsync(ct);
        LogSeeded(logger, org.Id, content.Version, published.Revision.Version);
        return true;
    }

    private async Task SeedAgentRulesAsync(DateTime now, CancellationToken ct)
    {
        var existing = await db.AgentRules.ToDictionaryAsync(r => r.RuleId, StringComparer.Ordinal, ct);
        foreach (var rule in content.Rules.Values)
        {
            if (!existing.TryGetValue(rule.Id, out var row))
            {
                db.AgentRules.Add(new AgentRule
                {
                    RuleId = rule.Id, Source = AgentRule.OutOfTheBox, Description = rule.Description, DefinitionYaml = rule.DefinitionYaml,
                    BlockingCapable = rule.BlockingCapable, ContentVersion = content.Version, CreatedAt = now, UpdatedAt = now,
                });
            }
            else if (row.Source == AgentRule.OutOfTheBox && (row.DefinitionYaml != rule.DefinitionYaml || row.ContentVersion != content.Version))
            {
                row.DefinitionYaml = rule.DefinitionYaml;
                row.Description = rule.Description;
                row.BlockingCapable = rule.BlockingCapable;
                row.Blocking &= rule.BlockingCapable;
                row.ContentVersion = content.Version;
                row.Version++;
                row.UpdatedAt = now;
            }
            // A custom rule that took an id the catalogue now uses keeps it; the catalogue's rule is not loaded there.
        }
        db.AgentRules.RemoveRange(existing.Values.Where(r => r.Source == AgentRule.OutOfTheBox && !content.Rules.ContainsKey(r.RuleId)));
    }

    private async Task SeedDetectionRulesAsync(DateTime now, CancellationToken ct)
    {
        var existing = await db.DetectionRules.Where(r => r.ContentId != null).ToDictionaryAsync(r => r.ContentId!, StringComparer.Ordinal, ct);
        foreach (var rule in content.Catalog.DetectionRules)
        {
            var json = JsonSerializer.Serialize(rule.Definition, ApiJson.Options);
            if (!existing.TryGetValue(rule.Id, out var row))
            {
                db.DetectionRules.Add(new DetectionRule
                {
                    Id = rule.StableId, ContentId = rule.Id, ContentVersion = content.Version, Name = rule.Definition.Name,
                    Method = JsonSerializer.Serialize(rule.Definition.Method, ApiJson.Options).Trim('"'), DefinitionJson = json,
                    CreatedAt = now, UpdatedAt = now,
                });
            }
            else if (row.ContentVersion != content.Version)
            {
                row.Name = rule.Definition.Name;
                row.DefinitionJson = json;
                row.ContentVersion = content.Version;
                row.Version++;
                row.UpdatedAt = now;
            }
        }
        var current = content.Catalog.DetectionRules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        db.DetectionRules.RemoveRange(existing.Values.Where(r => !current.Contains(r.ContentId!)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Organization {OrganizationId} now has out-of-the-box content {ContentVersion} (policy version {PolicyVersion})")]
    private static partial void LogSeeded(ILogger logger, Guid organizationId, string contentVersion, int policyVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Organization {OrganizationId} stays on its content: content {ContentVersion} would not compile with its own rules: {Errors}")]
    private static partial void LogPublishRefused(ILogger logger, Guid organizationId, string contentVersion, string errors);
}
