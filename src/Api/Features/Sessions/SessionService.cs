using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Security;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Sessions;

/// <summary>Logs people in (password → session token) and out.</summary>
public sealed class SessionService(VigilDbContext db, IPasswordHasher<User> hasher, TimeProvider clock)
{
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public async Task<LoginResponse?> LoginAsync(LoginRequest request, CancellationToken ct)
    {
        var email = request.Email.Trim().ToLowerInvariant();
        var user = await db.Users.IgnoreQueryFilters().FirstOrDefaultAsync(u => u.Email == email && !u.Disabled, ct);
        if (user is null)
        {
            // Same work as a real check so the answer time does not reveal which e-mails exist.
            hasher.VerifyHashedPassword(DummyUser, DummyHash, request.Password);
            return null;
        }
        if (hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password) == PasswordVerificationResult.Failed)
            return null;

        db.Tenant.Set(user.OrganizationId);
        var org = await db.Organizations.SingleAsync(ct);
        var token = SecretKeys.Generate(SecretKind.SessionToken);
        var expires = clock.GetUtcNow() + SessionLifetime;
        db.UserSessions.Add(new UserSession
        {
            UserId = user.Id, TokenHash = SecretKeys.Hash(token), ExpiresAt = expires.UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return new LoginResponse(token, expires,
            new CurrentUserDto(user.Id, user.Email, user.DisplayName, user.Role.ToString(), org.Id, org.Name));
    }

    /// <summary>Revokes the session whose token is presented; the caller is already authenticated by it.</summary>
    public async Task LogoutAsync(string token, CancellationToken ct)
    {
        var hash = SecretKeys.Hash(token);
        var session = await db.UserSessions.FirstOrDefaultAsync(s => s.TokenHash == hash && s.RevokedAt == null, ct);
        if (session is null)
            return;
        session.RevokedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    private static readonly User DummyUser = new() { Email = "", DisplayName = "", PasswordHash = "" };
    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(DummyUser, "not-a-password");
}
