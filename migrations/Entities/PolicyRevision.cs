namespace Vigil.Data.Entities;

/// <summary>
/// One published version of an organization's effective agent policy: the exact bytes agents receive
/// (<see cref="PayloadJson"/>, UTF-8) and their Ed25519 signature by the org's key. Agents verify the
/// signature against the key they pinned at enrolment; the Ingest serves these rows as they are.
/// </summary>
public sealed class PolicyRevision : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    /// <summary>1, 2, 3… per organization.</summary>
    public int Version { get; set; }
    public required string PayloadJson { get; set; }
    /// <summary>SHA-256 (hex) of the payload bytes; the HTTP ETag is derived from it.</summary>
    public required string Sha256 { get; set; }
    public required string Signature { get; set; }
    public Guid SigningKeyId { get; set; }
    public int RuleCount { get; set; }
    /// <summary>Who or what published it (a user's e-mail, "content upgrade").</summary>
    public string? PublishedBy { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
