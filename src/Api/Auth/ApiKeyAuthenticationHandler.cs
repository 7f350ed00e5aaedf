using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Core.Security;
using Vigil.Data;

namespace Vigil.Api.Auth;

/// <summary>
/// Authenticates API calls by <c>Authorization: Bearer &lt;token&gt;</c> (a login session token or an
/// application key) or by the <c>DD-APPLICATION-KEY</c> header, and sets the request's organization.
/// Only hashes are looked up; the presented secret is never stored or logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    VigilDbContext db,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedSecret();
        if (presented is null)
            return AuthenticateResult.NoResult();

        var hash = SecretKeys.Hash(presented);
        var principal = SecretKeys.HasShape(presented, SecretKind.SessionToken)
            ? await FromSessionAsync(hash)
            : SecretKeys.HasShape(presented, SecretKind.ApplicationKey)
                ? await FromApplicationKeyAsync(hash)
                : null;
        if (principal is null)
            return AuthenticateResult.Fail("The token or application key is unknown, expired or revoked.");

        db.Tenant.Set(Guid.Parse(principal.FindFirstValue(ApiAuthentication.OrganizationClaim)!));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private string? PresentedSecret()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim() is { Length: > 0 and <= SecretKeys.MaxLength } bearer ? bearer : null;
        var appKey = Request.Headers[ApiAuthentication.ApplicationKeyHeader].ToString();
        return appKey is { Length: > 0 and <= SecretKeys.MaxLength } ? appKey : null;
    }

    private async Task<ClaimsPrincipal?> FromSessionAsync(string hash)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await db.UserSessions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.TokenHash == hash && s.RevokedAt == null && s.ExpiresAt > now)
            .Join(db.Users.IgnoreQueryFilters().Where(u => !u.Disabled), s => s.UserId, u => u.Id, (s, u) => u)
            .Select(u => new { u.Id, u.OrganizationId, u.Email, u.DisplayName, u.Role })
            .FirstOrDefaultAsync(Context.RequestAborted);
        return found is null ? null : Principal(found.Id, found.OrganizationId, found.Email, found.Role.ToString(), "session");
    }

    private async Task<ClaimsPrincipal?> FromApplicationKeyAsync(string hash)
    {
        var found = await db.ApplicationKeys.IgnoreQueryFilters().AsNoTracking()
            .Where(k => k.KeyHash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.OrganizationId, k.Name, k.Role })
            .FirstOrDefaultAsync(Context.RequestAborted);
        return found is null ? null : Principal(found.Id, found.OrganizationId, found.Name, found.Role.ToString(), "application_key");
    }

    private ClaimsPrincipal Principal(Guid id, Guid orgId, string name, string role, string kind) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, id.ToString()),
            new Claim(ClaimTypes.Name, name),
            new Claim(ClaimTypes.Role, role),
            new Claim(ApiAuthentication.OrganizationClaim, orgId.ToString()),
            new Claim(ApiAuthentication.KindClaim, kind),
        ], Scheme.Name));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required",
            "Send a session token or application key as 'Authorization: Bearer <token>' or in the DD-APPLICATION-KEY header.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "Your role does not allow this action.");

    private Task WriteProblemAsync(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(Context);
}
