using Vigil.ServiceDefaults;

namespace Vigil.Api.Features.RemoteConfig;

public static class RemoteConfigRegistration
{
    /// <summary>Out-of-the-box content, agent rules and the signed policies agents pull.</summary>
    public static IHostApplicationBuilder AddVigilRemoteConfig(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ContentOptions>().BindConfiguration(ContentOptions.Section);
        services.AddSingleton<OutOfTheBoxContent>();
        services.AddScoped<PolicySigningKeys>();
        services.AddScoped<PolicyPublisher>();
        services.AddScoped<AgentRuleChanges>();
        services.AddScoped<OrganizationContentSeeder>();
        services.AddSingleton<IStartupTask, ContentUpgradeTask>();
        return builder;
    }
}
