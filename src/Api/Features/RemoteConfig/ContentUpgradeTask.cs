using Microsoft.EntityFrameworkCore;
using Vigil.Data;
using Vigil.ServiceDefaults;

namespace Vigil.Api.Features.RemoteConfig;

/// <summary>
/// At start, after first-run seeding: every organization seeded with an older content release is upgraded to this
/// Api's release (a new release ships with a new Api). Organizations get their first content when they are
/// created (<see cref="SeedAsync"/>); one organization at a time, each in its own unit of work.
/// </summary>
public sealed class ContentUpgradeTask : IStartupTask
{
    public int Order => StartupTaskOrder.Seeding + 5;

    public async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var version = services.GetRequiredService<OutOfTheBoxContent>().Version;
        List<Guid> behind;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VigilDbContext>();
            behind = await db.Organizations.IgnoreQueryFilters().Where(o => o.ContentVersion != null && o.ContentVersion != version)
                .Select(o => o.Id).ToListAsync(ct);
        }
        foreach (var organizationId in behind)
            await SeedAsync(services, organizationId, ct);
    }

    /// <summary>Seeds or upgrades one organization (org creation calls this).</summary>
    public static async Task<bool> SeedAsync(IServiceProvider services, Guid organizationId, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<VigilDbContext>().Tenant.Set(organizationId);
        return await scope.ServiceProvider.GetRequiredService<OrganizationContentSeeder>().SeedAsync(ct);
    }
}
