using Vigil.Core.Domain;

namespace Vigil.Data.Entities;

/// <summary>Key an API client uses for the REST API, with its own role. Only its hash is stored.</summary>
public sealed class ApplicationKey : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public required string Name { get; set; }
    public required string KeyHash { get; set; }
    public required string Hint { get; set; }
    public Role Role { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? RevokedAt { get; set; }
}
