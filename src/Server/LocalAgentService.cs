using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;
using Vigil.Agent;
using Vigil.Api.Features.Bootstrap;
using Vigil.ServiceDefaults;

namespace Vigil.Server;

/// <summary>Local agent of the quickstart (<c>Vigil:LocalAgent</c>).</summary>
public sealed class LocalAgentOptions
{
    public const string Section = "Vigil:LocalAgent";

    /// <summary>null: start it when running as root on Linux (the agent needs root for the kernel).</summary>
    public bool? Enabled { get; set; }

    public int HeartbeatSeconds { get; set; } = 30;

    /// <summary>Policy files or directories the local agent enforces (none: heartbeats only), e.g. <c>content/agent-policies</c>.</summary>
    public string[] Policies { get; set; } = [];
}

/// <summary>
/// Runs an agent inside the quickstart process, shipping to this process's own intake with the key the
/// first start wrote (Vigil:Bootstrap:AgentKeyFile), so a new user sees their own machine at once.
/// </summary>
public sealed partial class LocalAgentService(
    IOptions<LocalAgentOptions> options,
    IOptions<BootstrapOptions> bootstrap,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<LocalAgentService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var enabled = options.Value.Enabled ?? (OperatingSystem.IsLinux() && Environment.UserName == "root");
        if (!enabled)
            return;
        if (!await WaitForStartAsync(stoppingToken))
            return;

        var keyFile = bootstrap.Value.AgentKeyFile;
        if (string.IsNullOrEmpty(keyFile) || !File.Exists(keyFile))
        {
            LogNoKey(logger, keyFile ?? "(not configured)");
            return;
        }
        var url = BoundAddress.Of(server);
        if (url is null)
            return;
        var settings = new AgentSettings(url, (await File.ReadAllTextAsync(keyFile, stoppingToken)).Trim(),
            Environment.MachineName, TimeSpan.FromSeconds(Math.Max(1, options.Value.HeartbeatSeconds)));
        // The spool lives beside the key file, in the quickstart's data folder.
        var spool = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(keyFile)) ?? ".", "agent-spool");
        await new AgentRunner(settings, Console.Out, new AgentRunOptions { Policies = options.Value.Policies, SpoolDirectory = spool })
            .RunAsync(stoppingToken);
    }

    private async Task<bool> WaitForStartAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource();
        using var a = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var b = ct.Register(() => started.TrySetCanceled(ct));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local agent not started: no agent key file at {KeyFile}. Create an agent key and run vigil-agent yourself.")]
    private static partial void LogNoKey(ILogger logger, string keyFile);
}
