using Microsoft.EntityFrameworkCore;
using Npgsql;
using Vigil.Data;
using Vigil.Data.Tenancy;

namespace Vigil.Testing;

/// <summary>
/// One PostgreSQL database per test process, migrated once and dropped when the process exits. Tests
/// share it and stay apart by working each in an organization of its own. A server that cannot be
/// reached fails the test with a message saying how to start it; it never skips.
/// </summary>
public static class PostgresTestDatabase
{
    private static readonly Lazy<Task<string>> Created = new(CreateAsync);

    public static Task<string> ConnectionStringAsync() => Created.Value;

    private static async Task<string> CreateAsync()
    {
        var name = $"vigil_test_{Guid.NewGuid():N}";
        // Generous timeouts: on a busy 2-core machine opening a connection or creating a database can take
        // longer than Npgsql's 15 s / 30 s defaults, and a failure here fails every test of the process.
        var adminConnection = new NpgsqlConnectionStringBuilder(TestSettings.PostgresAdmin) { Timeout = 60, CommandTimeout = 120 }.ConnectionString;
        await using (var admin = new NpgsqlConnection(adminConnection))
        {
            try
            {
                await admin.OpenAsync();
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL is not reachable with VIGIL_TEST_POSTGRES. {TestSettings.StartServersHint}", e);
            }
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(adminConnection) { Database = name }.ConnectionString;
        await using (var db = new PostgresVigilDbContext(
            new DbContextOptionsBuilder<PostgresVigilDbContext>().UseNpgsql(connectionString).Options, new TenantContext()))
        {
            await db.Database.MigrateAsync();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Drop(name);
        return connectionString;
    }

    private static void Drop(string name)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(TestSettings.PostgresAdmin);
            admin.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The server went away first; the database goes with the machine.
        }
    }
}
