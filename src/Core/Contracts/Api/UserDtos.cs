namespace Vigil.Core.Contracts.Api;

/// <summary>A member of the caller's organization, for pickers (assignee): never a credential.</summary>
public sealed record OrgUserDto(Guid Id, string Name, string Email, string Role, bool Disabled);
