using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Vigil.Api.Auth;

/// <summary>Rate limits of the Api: login attempts per client address, against password guessing.</summary>
public static class ApiRateLimits
{
    public const string Login = "api-login";

    /// <summary>Login attempts one client address may make per minute (<c>Vigil:Api:LoginAttemptsPerMinute</c>).</summary>
    public const string LoginAttemptsSetting = "Vigil:Api:LoginAttemptsPerMinute";

    public static void AddPolicies(RateLimiterOptions options, int loginAttemptsPerMinute) =>
        options.AddPolicy(Login, context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = loginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
            }));
}
