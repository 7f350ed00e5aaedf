using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Vigil.Core.Contracts.Api;

namespace Vigil.ServiceDefaults;

/// <summary>Telemetry, health checks and ProblemDetails that every Vigil service gets the same way.</summary>
public static class ServiceDefaultsExtensions
{
    public const string LiveTag = "live";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(ServiceDefaultsMarker)))
            return builder;
        builder.Services.AddSingleton<ServiceDefaultsMarker>();
        builder.Services.AddSingleton<DefaultEndpointsMarker>();

        builder.Logging.AddOpenTelemetry(o => { o.IncludeFormattedMessage = true; o.IncludeScopes = true; });
        var otel = builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                .AddMeter("MassTransit", "Vigil.Ingest"))
            .WithTracing(t => t.AddSource(builder.Environment.ApplicationName, "MassTransit")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !IsHealthPath(ctx.Request.Path))
                .AddHttpClientInstrumentation());
        // Export only when an OTLP endpoint is configured (standard OTEL_EXPORTER_OTLP_ENDPOINT variable).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.UseOtlpExporter();

        builder.Services.AddProblemDetails();
        builder.Services.AddAntiforgery();
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorization();
        builder.Services.AddRateLimiter(PipelineExtensions.ConfigureRejection);
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        // Login cookies are encrypted with Data Protection keys. Kept in a folder, they survive restarts and
        // are shared by every instance that mounts it; otherwise they live in the process (or the user profile).
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("Vigil");
        var keysPath = builder.Configuration["Vigil:DataProtection:KeysPath"];
        if (!string.IsNullOrWhiteSpace(keysPath))
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        return builder;
    }

    /// <summary><c>/health</c>: every check (database, bus) must pass; <c>/alive</c>: the process answers.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        var marker = app.Services.GetRequiredService<DefaultEndpointsMarker>();
        if (marker.Mapped)
            return app;
        marker.Mapped = true;
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        return app;
    }

    private static bool IsHealthPath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive");

    private sealed class ServiceDefaultsMarker;
}

/// <summary>Remembers what is already added, so roles composed in one host add middleware and endpoints once.</summary>
public sealed class DefaultEndpointsMarker
{
    public bool Mapped { get; set; }
    public bool PipelineAdded { get; set; }
}
