namespace Vigil.Data.Entities;

/// <summary>
/// The organization's Ed25519 key that signs its policies. The public key is served to agents for pinning;
/// the private key is stored encrypted with ASP.NET Data Protection (purpose-bound to the organization) and
/// is only ever decrypted by the Api to sign a revision.
/// </summary>
public sealed class PolicySigningKey : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    /// <summary>Raw 32-byte public key, base64.</summary>
    public required string PublicKey { get; set; }
    public required string ProtectedPrivateKey { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
