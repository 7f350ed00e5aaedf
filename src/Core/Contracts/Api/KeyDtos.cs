namespace Vigil.Core.Contracts.Api;

/// <summary>An agent API key or application key as listed: never the secret, only a hint.</summary>
public sealed record KeyDto(Guid Id, string Name, string Hint, string? Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>Create a key. <c>Role</c> applies to application keys only (read_only, responder, admin).</summary>
public sealed record CreateKeyRequest(string Name, string? Role = null);

/// <summary>The new key with its secret, returned once at creation and never again.</summary>
public sealed record CreatedKeyDto(KeyDto Key, string Secret);
