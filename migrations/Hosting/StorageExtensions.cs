using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Vigil.Data.Tenancy;
using Vigil.ServiceDefaults;

namespace Vigil.Data.Hosting;

/// <summary>Which database this process uses, decided by configuration alone.</summary>
public sealed record StorageSettings(StorageProvider Provider, string ConnectionString, bool ApplyMigrationsOnStart)
{
    public const string DefaultSqlite = "Data Source=data/vigil.db";

    /// <summary>
    /// <c>ConnectionStrings:Postgres</c> selects PostgreSQL (production); otherwise SQLite from
    /// <c>ConnectionStrings:Sqlite</c> (embedded). Embedded mode migrates on start; production migrates only
    /// in the explicit migrate step unless <c>Vigil:Storage:ApplyMigrationsOnStart</c> says otherwise.
    /// </summary>
    public static StorageSettings From(IConfiguration configuration)
    {
        var postgres = configuration.GetConnectionString("Postgres");
        var migrateSetting = configuration["Vigil:Storage:ApplyMigrationsOnStart"];
        if (!string.IsNullOrWhiteSpace(postgres))
            return new(StorageProvider.Postgres, postgres, bool.TryParse(migrateSetting, out var m) && m);
        var sqlite = configuration.GetConnectionString("Sqlite");
        return new(StorageProvider.Sqlite, string.IsNullOrWhiteSpace(sqlite) ? DefaultSqlite : sqlite,
            !bool.TryParse(migrateSetting, out var s) || s);
    }
}

public enum StorageProvider { Sqlite, Postgres }

public static class StorageExtensions
{
    /// <summary>Registers <see cref="VigilDbContext"/> for the configured provider. Safe to call from several roles.</summary>
    public static IHostApplicationBuilder AddVigilStorage(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(StorageSettings)))
            return builder;
        var settings = StorageSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddScoped<TenantContext>();

        if (settings.Provider == StorageProvider.Postgres)
        {
            builder.Services.AddDbContext<PostgresVigilDbContext>(o => o.UseNpgsql(settings.ConnectionString));
            builder.Services.AddScoped<VigilDbContext>(sp => sp.GetRequiredService<PostgresVigilDbContext>());
        }
        else
        {
            EnsureSqliteFolder(settings.ConnectionString);
            builder.Services.AddDbContext<SqliteVigilDbContext>(o => o.UseSqlite(settings.ConnectionString));
            builder.Services.AddScoped<VigilDbContext>(sp => sp.GetRequiredService<SqliteVigilDbContext>());
        }
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddSingleton<IDatabaseMigrator, VigilDatabaseMigrator>();
        return builder;
    }

    /// <summary>Applies pending migrations of the configured provider.</summary>
    public static async Task MigrateVigilStorageAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<VigilDbContext>().Database.MigrateAsync(ct);
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
    }

    private sealed class VigilDatabaseMigrator(IServiceProvider services, StorageSettings settings) : IDatabaseMigrator
    {
        public bool ApplyOnStart => settings.ApplyMigrationsOnStart;

        public Task MigrateAsync(CancellationToken ct) => services.MigrateVigilStorageAsync(ct);
    }

    private sealed class DatabaseHealthCheck(VigilDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            await db.Database.CanConnectAsync(ct)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database cannot be reached.");
    }
}
