namespace Vigil.Data.Entities;

public sealed class Organization
{
    public const int MaxNameLength = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    /// <summary>The out-of-the-box content release seeded into this org (null: never seeded).</summary>
    public string? ContentVersion { get; set; }
}
