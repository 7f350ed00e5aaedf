using Vigil.Core.Domain;

namespace Vigil.Data.Entities;

/// <summary>A person who logs in to the UI. E-mail addresses are unique across Vigil (login needs no org).</summary>
public sealed class User : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    /// <summary>ASP.NET Core Identity's PBKDF2 hash; never the password.</summary>
    public required string PasswordHash { get; set; }
    public Role Role { get; set; }
    public bool Disabled { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}
