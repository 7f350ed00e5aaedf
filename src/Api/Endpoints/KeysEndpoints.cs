using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Core.Security;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>
/// Admin-only management of the org's agent API keys and application keys: list (hints only), create
/// (the secret is shown once, only its hash is kept) and revoke.
/// </summary>
public static class KeysEndpoints
{
    private const int MaxNameLength = 200;

    public static IEndpointRouteBuilder MapKeysEndpoints(this IEndpointRouteBuilder app)
    {
        var agentKeys = app.MapGroup("/api/v2/api-keys").WithTags("Agent API keys").RequireAuthorization(ApiAuthentication.Policies.Admin);
        agentKeys.MapGet("/", ListAgentKeysAsync).WithName("ListAgentApiKeys");
        agentKeys.MapPost("/", CreateAgentKeyAsync).WithName("CreateAgentApiKey");
        agentKeys.MapDelete("/{id:guid}", RevokeAgentKeyAsync).WithName("RevokeAgentApiKey");

        var appKeys = app.MapGroup("/api/v2/application-keys").WithTags("Application keys").RequireAuthorization(ApiAuthentication.Policies.Admin);
        appKeys.MapGet("/", ListApplicationKeysAsync).WithName("ListApplicationKeys");
        appKeys.MapPost("/", CreateApplicationKeyAsync).WithName("CreateApplicationKey");
        appKeys.MapDelete("/{id:guid}", RevokeApplicationKeyAsync).WithName("RevokeApplicationKey");
        return app;
    }

    private static async Task<Ok<List<KeyDto>>> ListAgentKeysAsync(VigilDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(ct)).Select(ToDto).ToList());

    private static async Task<Results<Created<CreatedKeyDto>, ValidationProblem>> CreateAgentKeyAsync(
        CreateKeyRequest request, VigilDbContext db, CancellationToken ct)
    {
        if (ValidateName(request.Name) is { } invalid)
            return invalid;
        var secret = SecretKeys.Generate(SecretKind.AgentApiKey);
        var key = new ApiKey { Name = request.Name.Trim(), KeyHash = SecretKeys.Hash(secret), Hint = SecretKeys.Hint(secret) };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v2/api-keys/{key.Id}", new CreatedKeyDto(ToDto(key), secret));
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAgentKeyAsync(Guid id, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null)
            return TypedResults.NotFound();
        key.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<KeyDto>>> ListApplicationKeysAsync(VigilDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.ApplicationKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(ct)).Select(ToDto).ToList());

    private static async Task<Results<Created<CreatedKeyDto>, ValidationProblem>> CreateApplicationKeyAsync(
        CreateKeyRequest request, ClaimsPrincipal caller, VigilDbContext db, CancellationToken ct)
    {
        if (ValidateName(request.Name) is { } invalid)
            return invalid;
        if (!Enum.TryParse<Role>(request.Role?.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var role) || !Enum.IsDefined(role))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["role must be read_only, responder or admin."] });
        var secret = SecretKeys.Generate(SecretKind.ApplicationKey);
        var key = new ApplicationKey
        {
            Name = request.Name.Trim(), KeyHash = SecretKeys.Hash(secret), Hint = SecretKeys.Hint(secret), Role = role,
            CreatedByUserId = Guid.TryParse(caller.FindFirstValue(ClaimTypes.NameIdentifier), out var userId) ? userId : null,
        };
        db.ApplicationKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v2/application-keys/{key.Id}", new CreatedKeyDto(ToDto(key), secret));
    }

    private static async Task<Results<NoContent, NotFound>> RevokeApplicationKeyAsync(Guid id, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var key = await db.ApplicationKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null)
            return TypedResults.NotFound();
        key.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static ValidationProblem? ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"name is required (at most {MaxNameLength} characters)."] })
            : null;

    private static KeyDto ToDto(ApiKey k) => new(k.Id, k.Name, k.Hint, null, k.CreatedAt.ToUtcOffset(), k.RevokedAt is { } r ? r.ToUtcOffset() : null);

    private static KeyDto ToDto(ApplicationKey k) =>
        new(k.Id, k.Name, k.Hint, RoleWire(k.Role), k.CreatedAt.ToUtcOffset(), k.RevokedAt is { } r ? r.ToUtcOffset() : null);

    private static string RoleWire(Role role) => role switch
    {
        Role.ReadOnly => "read_only",
        Role.Responder => "responder",
        _ => "admin",
    };
}
