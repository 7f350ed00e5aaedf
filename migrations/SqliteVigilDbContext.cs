using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Vigil.Data.Tenancy;

namespace Vigil.Data;

/// <summary>SQLite (embedded mode). Migrations live in Sqlite/Migrations.</summary>
public sealed class SqliteVigilDbContext(DbContextOptions<SqliteVigilDbContext> options, TenantContext tenant)
    : VigilDbContext(options, tenant)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite stores DateTime as text without a kind; everything Vigil stores is UTC, so say so on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
