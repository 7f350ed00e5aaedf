using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Api.Features.Sessions;
using Vigil.Core.Contracts.Api;
using Vigil.Data;

namespace Vigil.Api.Endpoints;

/// <summary>Login (password → session token), logout and "who am I".</summary>
public static class AuthEndpoints
{
    private const int MaxCredentialLength = 512;

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v2/auth").WithTags("Authentication");
        group.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(ApiRateLimits.Login).WithName("Login");
        group.MapPost("/logout", LogoutAsync).RequireAuthorization(ApiAuthentication.Policies.Read).WithName("Logout");
        group.MapGet("/me", MeAsync).RequireAuthorization(ApiAuthentication.Policies.Read).WithName("GetCurrentUser");
        return app;
    }

    private static async Task<Results<Ok<LoginResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, SessionService sessions, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > MaxCredentialLength)
            errors["email"] = ["email is required (at most 512 characters)."];
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > MaxCredentialLength)
            errors["password"] = ["password is required (at most 512 characters)."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var login = await sessions.LoginAsync(request, ct);
        return login is null
            ? TypedResults.Problem(title: "Login failed", detail: "The e-mail or password is wrong.", statusCode: StatusCodes.Status401Unauthorized)
            : TypedResults.Ok(login);
    }

    private static async Task<NoContent> LogoutAsync(HttpRequest request, SessionService sessions, CancellationToken ct)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            await sessions.LogoutAsync(header["Bearer ".Length..].Trim(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CurrentUserDto>, NotFound>> MeAsync(
        ClaimsPrincipal principal, VigilDbContext db, CancellationToken ct)
    {
        var id = Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var org = await db.Organizations.SingleAsync(ct);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is not null)
            return TypedResults.Ok(new CurrentUserDto(user.Id, user.Email, user.DisplayName, user.Role.ToString(), org.Id, org.Name));
        var key = await db.ApplicationKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct);
        return key is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new CurrentUserDto(key.Id, "", key.Name, key.Role.ToString(), org.Id, org.Name));
    }
}
