using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;

namespace Vigil.Api.Endpoints;

/// <summary>The organization's members, readable by every member (the query filter scopes it to the caller's org).</summary>
public static class UsersEndpoints
{
    /// <summary>An organization larger than this is not what a picker can show; the first ones by name come back.</summary>
    public const int MaxUsers = 1000;

    public static IEndpointRouteBuilder MapUsersEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v2/users").WithTags("Users").RequireAuthorization(ApiAuthentication.Policies.Read)
            .MapGet("/", ListAsync).WithName("ListUsers");
        return app;
    }

    private static async Task<Ok<List<OrgUserDto>>> ListAsync(VigilDbContext db, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Email).Take(MaxUsers)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.Role, u.Disabled }).ToListAsync(ct);
        return TypedResults.Ok(users.Select(u => new OrgUserDto(u.Id, u.DisplayName, u.Email, Wire(u.Role), u.Disabled)).ToList());
    }

    private static string Wire(Role role) => role switch { Role.Admin => "admin", Role.Responder => "responder", _ => "read_only" };
}
