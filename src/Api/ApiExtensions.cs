using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vigil.Api.Auth;
using Vigil.Api.Endpoints;
using Vigil.Api.Features.Bootstrap;
using Vigil.Api.Features.Jobs;
using Vigil.Api.Features.LiveSignals;
using Vigil.Api.Features.Notifications;
using Vigil.Api.Features.RemoteConfig;
using Vigil.Api.Features.Sessions;
using Vigil.Api.Features.Signals;
using Vigil.Api.Features.Responses;
using Vigil.Api.Features.Triage;
using Vigil.Api.Features.Users;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data.Entities;
using Vigil.Data.Hosting;
using Vigil.ServiceDefaults;

namespace Vigil.Api;

/// <summary>The Api role: REST endpoints, authentication and roles, background jobs.</summary>
public static class ApiExtensions
{
    public static IHostApplicationBuilder AddVigilApi(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddVigilStorage();
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<SessionService>();
        services.AddScoped<ExpiredSessionPurgeJob>();
        services.AddScoped<SignalTriageService>();
        services.AddScoped<ResponseActionService>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<SignalSearch>();
        builder.AddVigilRemoteConfig();

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiAuthentication.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiAuthentication.Policies.Read, p => p.AddAuthenticationSchemes(ApiAuthentication.Scheme)
                .RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Role.ReadOnly)))
            .AddPolicy(ApiAuthentication.Policies.Write, p => p.AddAuthenticationSchemes(ApiAuthentication.Scheme)
                .RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Role.Responder)))
            .AddPolicy(ApiAuthentication.Policies.Admin, p => p.AddAuthenticationSchemes(ApiAuthentication.Scheme)
                .RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Role.Admin)));
        var loginAttempts = Math.Max(1, builder.Configuration.GetValue(ApiRateLimits.LoginAttemptsSetting, 20));
        services.AddRateLimiter(o => ApiRateLimits.AddPolicies(o, loginAttempts));

        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);
        services.AddSingleton<FirstRunResult>();
        services.AddSingleton<IStartupTask, FirstRunSeeder>();
        services.AddHostedService<StartupBanner>();

        services.AddSignalR();
        services.AddOpenApi(o => o.AddDocumentTransformer<ApiSecuritySchemes>());
        // Background jobs run on every Api instance unless turned off (Vigil:Jobs:Enabled=false), e.g. for an
        // instance that only serves requests. Hangfire keeps process-wide state, so one process hosts one.
        var jobsEnabled = builder.Configuration.GetValue("Vigil:Jobs:Enabled", true);
        if (jobsEnabled)
            AddJobs(builder);
        builder.AddVigilNotifications(jobsEnabled);
        return builder;
    }

    public static WebApplication MapVigilApi(this WebApplication app)
    {
        app.UseVigilPipeline();
        app.MapOpenApi();
        app.MapAuthEndpoints();
        app.MapSignalsEndpoints();
        app.MapSignalTriageEndpoints();
        app.MapSignalResponseEndpoints();
        app.MapDetectionRulesEndpoints();
        app.MapSuppressionsEndpoints();
        app.MapAgentEventsEndpoints();
        app.MapAgentsEndpoints();
        app.MapKeysEndpoints();
        app.MapAgentRulesEndpoints();
        app.MapRemoteConfigEndpoints();
        app.MapNotificationChannelsEndpoints();
        app.MapNotificationRulesEndpoints();
        app.MapNotificationDeliveriesEndpoints();
        app.MapUsersEndpoints();
        app.MapOrganizationEndpoints();
        app.MapHub<SignalsHub>("/" + LiveSignalsHub.Path);
        app.MapDefaultEndpoints();
        return app;
    }

    /// <summary>Hangfire on PostgreSQL in production, in memory in embedded mode (same storage choice as the DbContext).</summary>
    private static void AddJobs(IHostApplicationBuilder builder)
    {
        var storage = StorageSettings.From(builder.Configuration);
        if (storage.Provider == StorageProvider.Postgres)
            builder.Services.AddSingleton<IStartupTask>(new HangfireSchemaInstaller(storage.ConnectionString));
        // This host's own activator, so jobs resolve services from this host even when Hangfire's process-wide
        // configuration was last set by another host (several hosts share a process in tests).
        builder.Services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire(c =>
        {
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (storage.Provider == StorageProvider.Postgres)
                // Poll the queue every second (default 15 s): notifications must leave within seconds.
                c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(storage.ConnectionString),
                    new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1), PrepareSchemaIfNecessary = false });
            else
                c.UseInMemoryStorage();
        });
        builder.Services.AddHangfireServer(o =>
        {
            o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
            o.SchedulePollingInterval = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddSingleton<IStartupTask, RecurringJobsRegistration>();
    }
}
