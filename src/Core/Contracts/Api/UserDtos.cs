namespace Vigil.Core.Contracts.Api;

/// <summary>A member of the caller's organization, for pickers (assignee): never a credential.</summary>
public sealed record OrgUserDto(Guid Id, string Name, string Email, string Role, bool Disabled);

/// <summary>An admin adds a member: the e-mail must be new to Vigil; role is admin, responder or read_only.</summary>
public sealed record CreateUserRequest(string? Email, string? Name, string? Role);

/// <summary>The new member and the password they log in with the first time, shown once and never stored in clear.</summary>
public sealed record CreatedUserDto(OrgUserDto User, string InitialPassword);

/// <summary>An admin changes a member's role or disables (or re-enables) them; both take effect on their next request.</summary>
public sealed record UpdateUserRequest(string? Role = null, bool? Disabled = null);
