namespace Vigil.Data.Entities;

/// <summary>Per-org key agents use to post events. Only its SHA-256 hash is stored.</summary>
public sealed class ApiKey : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    public required string KeyHash { get; set; }
    public required string Hint { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? RevokedAt { get; set; }
}
