using Hangfire.PostgreSql;
using Npgsql;
using Vigil.ServiceDefaults;

namespace Vigil.Api.Features.Jobs;

/// <summary>
/// Creates or upgrades Hangfire's PostgreSQL schema once, under an advisory lock, before any job storage is
/// used: several Api instances starting together on a new database would otherwise race to create it (and
/// the loser's job storage stays broken).
/// </summary>
public sealed class HangfireSchemaInstaller(string connectionString) : IStartupTask
{
    private const long LockKey = 0x56_49_47_49_4C_48_46; // "VIGILHF"

    public int Order => StartupTaskOrder.Seeding - 50;

    public async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", connection))
            await lockCommand.ExecuteNonQueryAsync(ct);
        try
        {
            PostgreSqlObjectsInstaller.Install(connection);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
