using Microsoft.EntityFrameworkCore;
using Vigil.Core.Domain;
using Vigil.Data.Entities;
using Vigil.Data.Tenancy;
using Vigil.Testing;

namespace Vigil.Data.Tests;

/// <summary>
/// Tenancy is enforced by the DbContext itself, on both providers: queries see only the current org,
/// writes without an org or for another org are refused.
/// </summary>
public sealed class TenancyGuardTests
{
    public static TheoryData<string> Providers => ["postgres", "sqlite"];

    private static async Task<Func<TenantContext, VigilDbContext>> ContextFactoryAsync(string provider)
    {
        if (provider == "postgres")
        {
            var connection = await PostgresTestDatabase.ConnectionStringAsync();
            return tenant => new PostgresVigilDbContext(
                new DbContextOptionsBuilder<PostgresVigilDbContext>().UseNpgsql(connection).Options, tenant);
        }
        var file = Path.Combine(Directory.CreateTempSubdirectory("vigil-tenancy-").FullName, "vigil.db");
        var sqlite = $"Data Source={file}";
        await using (var db = new SqliteVigilDbContext(new DbContextOptionsBuilder<SqliteVigilDbContext>().UseSqlite(sqlite).Options, new TenantContext()))
            await db.Database.MigrateAsync();
        return tenant => new SqliteVigilDbContext(new DbContextOptionsBuilder<SqliteVigilDbContext>().UseSqlite(sqlite).Options, tenant);
    }

    private static Signal NewSignal(string rule) => new()
    {
        RuleId = rule, Title = rule, Severity = Severity.Low, Hostname = "h", GroupKey = "g",
        FirstSeen = DateTime.UtcNow, LastSeen = DateTime.UtcNow, EventCount = 1, SampleEventJson = "{}",
    };

    private static async Task<Guid> NewOrganizationAsync(Func<TenantContext, VigilDbContext> create)
    {
        var org = new Organization { Name = "o" };
        var tenant = new TenantContext();
        tenant.Set(org.Id);
        await using var db = create(tenant);
        db.Organizations.Add(org);
        await db.SaveChangesAsync();
        return org.Id;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Queries_SeeOnlyTheCurrentOrganizationsRows(string provider)
    {
        var create = await ContextFactoryAsync(provider);
        var orgA = await NewOrganizationAsync(create);
        var orgB = await NewOrganizationAsync(create);
        var tenantA = new TenantContext();
        tenantA.Set(orgA);
        await using (var db = create(tenantA))
        {
            db.Signals.Add(NewSignal("a_rule"));
            await db.SaveChangesAsync();
        }

        var tenantB = new TenantContext();
        tenantB.Set(orgB);
        await using var asB = create(tenantB);
        await using var asNobody = create(new TenantContext());

        Assert.Empty(await asB.Signals.ToListAsync());
        Assert.Empty(await asNobody.Signals.ToListAsync());
        Assert.Equal(orgB, (await asB.Organizations.SingleAsync()).Id);
        await using var asA = create(tenantA);
        Assert.Equal("a_rule", (await asA.Signals.SingleAsync()).RuleId);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Save_WithoutAnOrganization_IsRefused(string provider)
    {
        var create = await ContextFactoryAsync(provider);
        await using var db = create(new TenantContext());
        db.Signals.Add(NewSignal("orphan"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());

        Assert.Contains("no organization is set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Save_ARowOfAnotherOrganization_IsRefused(string provider)
    {
        var create = await ContextFactoryAsync(provider);
        var orgA = await NewOrganizationAsync(create);
        var orgB = await NewOrganizationAsync(create);
        var tenantA = new TenantContext();
        tenantA.Set(orgA);
        await using var db = create(tenantA);
        var smuggled = NewSignal("smuggled");
        smuggled.OrganizationId = orgB;
        db.Signals.Add(smuggled);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());

        Assert.Contains("another organization", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TenantContext_CannotBeSwitchedToAnotherOrganization()
    {
        var tenant = new TenantContext();
        tenant.Set(Guid.NewGuid());

        Assert.Throws<InvalidOperationException>(() => tenant.Set(Guid.NewGuid()));
        Assert.Throws<ArgumentException>(() => new TenantContext().Set(Guid.Empty));
    }
}
