using System.Threading.RateLimiting;
using MassTransit;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Core.Security;
using Vigil.Ingest.Detection;
using Vigil.Ingest.Intake;
using Vigil.Ingest.RemoteConfig;
using Vigil.Ingest.Responses;
using Vigil.Ingest.Storage;
using Vigil.Data.Hosting;
using Vigil.ServiceDefaults;

namespace Vigil.Ingest;

/// <summary>The Ingest role: agent intake endpoints and the consumers that store and correlate events.</summary>
public static class IngestExtensions
{
    public static IHostApplicationBuilder AddVigilIngest(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddVigilStorage();
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<AgentKeyResolver>();
        builder.Services.AddSingleton<DetectionRuleCache>();
        builder.Services.AddScoped<DetectionEngine>();
        builder.Services.AddRateLimiter(o => o.AddPolicy(EventIntakeEndpoints.RateLimitPolicy, IntakePartition));
        builder.Services.Configure<RateLimiterOptions>(o =>
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(InstanceConcurrencyPartition));
        return builder;
    }

    public static WebApplication MapVigilIngest(this WebApplication app)
    {
        app.UseVigilPipeline();
        app.MapEventIntake();
        app.MapAgentPolicyEndpoints();
        app.MapAgentResponseEndpoints();
        app.MapDefaultEndpoints();
        return app;
    }

    /// <summary>Per API key token bucket chained with one concurrency limit for the whole instance.</summary>
    private static RateLimitPartition<string> IntakePartition(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value;
        var key = context.Request.Headers[EventIntakeEndpoints.ApiKeyHeader].ToString();
        var partition = key.Length is > 0 and <= SecretKeys.MaxLength ? SecretKeys.Hash(key) : "anonymous";
        return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.BurstPerKey,
            TokensPerPeriod = options.BatchesPerSecondPerKey,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>Back-pressure: at most MaxConcurrentBatches intake requests in flight on this instance.</summary>
    private static RateLimitPartition<string> InstanceConcurrencyPartition(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(EventIntakeEndpoints.Route))
            return RateLimitPartition.GetNoLimiter("other");
        var options = context.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value;
        return RateLimitPartition.GetConcurrencyLimiter("intake", _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentBatches,
            QueueLimit = 0,
        });
    }

}

/// <summary>The consumers the Ingest role contributes to the process's bus.</summary>
public static class IngestBus
{
    public static void Consumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<EventBatchConsumer, EventBatchConsumerDefinition>();
}
