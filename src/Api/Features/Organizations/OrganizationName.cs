using Vigil.Data.Entities;

namespace Vigil.Api.Features.Organizations;

/// <summary>
/// What an organization may be called: trimmed, not empty, at most <see cref="Organization.MaxNameLength"/>
/// characters (the column), and no control characters (the name is shown in the bar and in e-mails).
/// </summary>
public static class OrganizationName
{
    /// <summary>The name to store, or null with the reason it was refused.</summary>
    public static (string? Name, string? Error) Validate(string? requested)
    {
        var name = requested?.Trim();
        if (string.IsNullOrEmpty(name))
            return (null, "The name is required.");
        if (name.Length > Organization.MaxNameLength)
            return (null, $"The name is {name.Length} characters long; at most {Organization.MaxNameLength} are allowed.");
        if (name.Any(char.IsControl))
            return (null, "The name must not contain control characters (line breaks, tabs).");
        return (name, null);
    }
}
