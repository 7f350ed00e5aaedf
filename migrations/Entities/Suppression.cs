namespace Vigil.Data.Entities;

/// <summary>
/// Hides events matching a query from one detection rule (or from every rule when <see cref="RuleId"/> is
/// null), until it expires: the way to tune out a known-benign pattern without editing the rule.
/// </summary>
public sealed class Suppression : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    public Guid? RuleId { get; set; }
    public required string Query { get; set; }
    public required string Reason { get; set; }
    public required string Owner { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}
