namespace Vigil.Core.Contracts.Api;

public sealed record LoginRequest(string Email, string Password);

/// <summary>A session token for the Authorization: Bearer header, and who it is for.</summary>
public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, CurrentUserDto User);

public sealed record CurrentUserDto(Guid Id, string Email, string DisplayName, string Role, Guid OrganizationId, string OrganizationName);
