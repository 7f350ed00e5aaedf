using Microsoft.EntityFrameworkCore;
using Vigil.Core.Security;
using Vigil.Data;

namespace Vigil.Ingest.Intake;

/// <summary>Finds the organization an agent API key belongs to. The only cross-org lookup of the intake.</summary>
public sealed class AgentKeyResolver(VigilDbContext db)
{
    public async Task<Guid?> ResolveAsync(string presentedKey, CancellationToken ct)
    {
        if (!SecretKeys.HasShape(presentedKey, SecretKind.AgentApiKey))
            return null;
        var hash = SecretKeys.Hash(presentedKey);
        var key = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .Where(k => k.KeyHash == hash && k.RevokedAt == null)
            .Select(k => new { k.OrganizationId })
            .FirstOrDefaultAsync(ct);
        return key?.OrganizationId;
    }
}
