using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Vigil.ServiceDefaults;

/// <summary>Work that must finish before a host serves traffic (migrations, first-run seeding), in Order.</summary>
public interface IStartupTask
{
    int Order { get; }
    Task RunAsync(IServiceProvider services, CancellationToken ct);
}

public static class StartupTaskOrder
{
    public const int Seeding = 100;
}

/// <summary>Brings the database schema up to date; registered by the storage layer.</summary>
public interface IDatabaseMigrator
{
    /// <summary>Embedded mode migrates on every start; production only in the explicit migrate step.</summary>
    bool ApplyOnStart { get; }

    Task MigrateAsync(CancellationToken ct);
}

public static class VigilHostRunner
{
    /// <summary>Runs the startup tasks, then starts the host (tests and <see cref="RunVigilAsync"/> share this).</summary>
    public static async Task StartVigilAsync(this WebApplication app, CancellationToken ct = default)
    {
        if (app.Services.GetService<IDatabaseMigrator>() is { ApplyOnStart: true } migrator)
            await migrator.MigrateAsync(ct);
        foreach (var task in app.Services.GetServices<IStartupTask>().OrderBy(t => t.Order))
            await task.RunAsync(app.Services, ct);
        await app.StartAsync(ct);
    }

    /// <summary>
    /// The process entry: <c>migrate</c> as first argument applies database migrations and exits (the explicit
    /// production step); otherwise start and run until shut down.
    /// </summary>
    public static async Task RunVigilAsync(this WebApplication app, string[] args)
    {
        if (args.Length > 0 && args[0] == "migrate")
        {
            var migrator = app.Services.GetService<IDatabaseMigrator>()
                ?? throw new InvalidOperationException("This service has no database to migrate.");
            await migrator.MigrateAsync(CancellationToken.None);
            Console.WriteLine("Vigil: database migrations applied.");
            return;
        }
        await app.StartVigilAsync();
        await app.WaitForShutdownAsync();
    }
}
