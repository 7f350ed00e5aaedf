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
    public const int Migrations = 0;
    public const int Seeding = 100;
}

public static class VigilHostRunner
{
    /// <summary>Runs the startup tasks, then starts the host (tests and <see cref="RunVigilAsync"/> share this).</summary>
    public static async Task StartVigilAsync(this WebApplication app, CancellationToken ct = default)
    {
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
            await app.Services.MigrateVigilStorageAsync();
            Console.WriteLine("Vigil: database migrations applied.");
            return;
        }
        await app.StartVigilAsync();
        await app.WaitForShutdownAsync();
    }

    internal sealed class MigrateOnStart : IStartupTask
    {
        public int Order => StartupTaskOrder.Migrations;

        public Task RunAsync(IServiceProvider services, CancellationToken ct) => services.MigrateVigilStorageAsync(ct);
    }
}
