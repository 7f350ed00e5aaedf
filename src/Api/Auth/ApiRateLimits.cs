using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Vigil.Api.Auth;

/// <summary>Rate limits of the Api: login attempts per client address, against password guessing.</summary>
public static class ApiRateLimits
{
    public const string Login = "api-login";

    public static void AddPolicies(RateLimiterOptions options) =>
        options.AddPolicy(Login, context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
}
