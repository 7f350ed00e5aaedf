namespace Vigil.Core.Domain;

/// <summary>
/// What a person or application key may do inside its organization.
/// Admin manages users, keys and settings; Responder triages and edits rules; ReadOnly only reads.
/// </summary>
public enum Role
{
    ReadOnly = 0,
    Responder = 1,
    Admin = 2,
}

public static class Roles
{
    public const string Admin = nameof(Role.Admin);
    public const string Responder = nameof(Role.Responder);
    public const string ReadOnly = nameof(Role.ReadOnly);

    /// <summary>Role names that include at least the given role (Admin ⊇ Responder ⊇ ReadOnly).</summary>
    public static string[] AtLeast(Role role) =>
        Enum.GetValues<Role>().Where(r => r >= role).Select(r => r.ToString()).ToArray();
}
