using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Vigil.Data.Tenancy;
using Vigil.Testing;

namespace Vigil.Data.Tests;

/// <summary>Both providers' migrations match the model and apply to an empty database.</summary>
public sealed class MigrationsTests
{
    [Fact]
    public async Task PostgresMigrations_MatchTheModel_AndAreApplied()
    {
        await using var db = new PostgresVigilDbContext(new DbContextOptionsBuilder<PostgresVigilDbContext>()
            .UseNpgsql(await PostgresTestDatabase.ConnectionStringAsync()).Options, new TenantContext());

        Assert.False(db.Database.HasPendingModelChanges(), "run dotnet ef migrations add for PostgresVigilDbContext");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task SqliteMigrations_MatchTheModel_AndApplyToANewFile()
    {
        var folder = Directory.CreateTempSubdirectory("vigil-sqlite-").FullName;
        var connection = $"Data Source={Path.Combine(folder, "vigil.db")};Pooling=False";
        await using var db = new SqliteVigilDbContext(
            new DbContextOptionsBuilder<SqliteVigilDbContext>().UseSqlite(connection).Options, new TenantContext());

        Assert.False(db.Database.HasPendingModelChanges(), "run dotnet ef migrations add for SqliteVigilDbContext");
        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Contains("signals", await TablesAsync(connection));
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<List<string>> TablesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }
}
