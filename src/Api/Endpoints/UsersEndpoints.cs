using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Api.Features.Users;
using Vigil.Core.Contracts.Api;
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
        var admin = app.MapGroup("/api/v2/users").WithTags("Users").RequireAuthorization(ApiAuthentication.Policies.Admin);
        admin.MapPost("/", CreateAsync).WithName("CreateUser");
        admin.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateUser");
        return app;
    }

    private static async Task<Results<Created<CreatedUserDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateUserRequest request, UserAdministration users, CancellationToken ct) =>
        await users.CreateAsync(request, ct) switch
        {
            UserAdministration.Outcome.Done done => TypedResults.Created($"/api/v2/users/{done.User.Id}", new CreatedUserDto(done.User, done.InitialPassword!)),
            UserAdministration.Outcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The user was not created."),
            UserAdministration.Outcome.Conflict conflict => TypedResults.Problem(title: "Conflict", detail: conflict.Detail, statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError),
        };

    private static async Task<Results<Ok<OrgUserDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateUserRequest request, ClaimsPrincipal caller, UserAdministration users, CancellationToken ct)
    {
        Guid? callerId = Guid.TryParse(caller.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) && caller.FindFirstValue(ApiAuthentication.KindClaim) == "session" ? parsed : null;
        return await users.UpdateAsync(id, request, callerId, ct) switch
        {
            UserAdministration.Outcome.Done done => TypedResults.Ok(done.User),
            UserAdministration.Outcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The user was not changed."),
            UserAdministration.Outcome.Conflict conflict => TypedResults.Problem(title: "Conflict", detail: conflict.Detail, statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.NotFound(),
        };
    }

    private static async Task<Ok<List<OrgUserDto>>> ListAsync(VigilDbContext db, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Email).Take(MaxUsers)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.Role, u.Disabled }).ToListAsync(ct);
        return TypedResults.Ok(users.Select(u => new OrgUserDto(u.Id, u.DisplayName, u.Email, UserAdministration.Wire(u.Role), u.Disabled)).ToList());
    }
}
