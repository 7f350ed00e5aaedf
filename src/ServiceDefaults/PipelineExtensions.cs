using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using System.Threading.RateLimiting;

namespace Vigil.ServiceDefaults;

/// <summary>
/// The middleware every Vigil host runs, in the one correct order. Each role calls it; in the all-in-one
/// host it is added once.
/// </summary>
public static class PipelineExtensions
{
    public static WebApplication UseVigilPipeline(this WebApplication app)
    {
        var marker = app.Services.GetRequiredService<DefaultEndpointsMarker>();
        if (marker.PipelineAdded)
            return app;
        marker.PipelineAdded = true;

        app.UseExceptionHandler();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>429 with Retry-After and a ProblemDetails body, whichever limiter refused.</summary>
    internal static void ConfigureRejection(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = async (context, _) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                : 1;
            context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await TypedResults.Problem(
                title: "Too many requests",
                detail: $"This service is busy or you are sending faster than allowed; retry after {retryAfter} s.",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
        };
    }
}
