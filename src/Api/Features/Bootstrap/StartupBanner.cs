using Microsoft.AspNetCore.Hosting.Server;
using Vigil.ServiceDefaults;

namespace Vigil.Api.Features.Bootstrap;

/// <summary>
/// Tells the person who started Vigil where it answers and, on the first start only, the admin login and
/// the agent API key. Written to the console, never to the log pipeline, and shown once.
/// </summary>
public sealed class StartupBanner(IServer server, IHostApplicationLifetime lifetime, FirstRunResult firstRun) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var url = BoundAddress.Of(server);
        var lines = new List<string> { "", "  Vigil is running.", $"  URL:     {url}" };
        if (firstRun.Created is { } created)
        {
            lines.Add($"  Admin:   {created.AdminEmail} / {created.AdminPassword}   (shown once; change it)");
            lines.Add($"  Agent API key: {created.AgentApiKey}   (shown once)");
        }
        else
        {
            lines.Add("  Log in with the admin account created on the first start.");
        }
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
