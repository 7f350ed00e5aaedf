using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.RemoteConfig;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.RemoteConfig;

/// <summary>
/// The organization's Ed25519 policy-signing key: created on first use, the private half encrypted with Data
/// Protection (purpose-bound to the organization, like channel secrets) and decrypted only to sign. Never logged.
/// </summary>
public sealed class PolicySigningKeys(VigilDbContext db, IDataProtectionProvider protection)
{
    private const string Purpose = "Vigil.RemoteConfig.PolicySigningKey.v1";

    public async Task<PolicySigningKey> GetOrCreateAsync(CancellationToken ct)
    {
        var existing = await db.PolicySigningKeys.FirstOrDefaultAsync(ct);
        if (existing is not null)
            return existing;
        var (privateKey, publicKey) = PolicySignature.GenerateKeyPair();
        var key = new PolicySigningKey
        {
            OrganizationId = db.Tenant.OrganizationId,
            PublicKey = Convert.ToBase64String(publicKey),
            ProtectedPrivateKey = Protector().Protect(Convert.ToBase64String(privateKey)),
        };
        db.PolicySigningKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return key;
    }

    public byte[] Sign(PolicySigningKey key, byte[] payload) =>
        PolicySignature.Sign(Convert.FromBase64String(Protector().Unprotect(key.ProtectedPrivateKey)), payload);

    private IDataProtector Protector() => protection.CreateProtector(Purpose, db.Tenant.OrganizationId.ToString("N"));
}
