namespace Vigil.Core.Contracts.Api;

/// <summary>The caller's organization, as the Settings page shows it.</summary>
public sealed record OrganizationDto(Guid Id, string Name, DateTimeOffset CreatedAt);

/// <summary>Body of <c>PATCH /api/v2/org</c> (admins only): the new name, 1 to 200 characters once trimmed.</summary>
public sealed record RenameOrganizationRequest(string? Name);
