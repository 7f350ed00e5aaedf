namespace Vigil.Agent.Cli;

/// <summary>
/// <c>vigil-agent run|status|version|policy</c>. Settings come from options or the environment:
/// <c>--url</c>/VIGIL_INGEST_URL, <c>--api-key-file</c>/VIGIL_API_KEY_FILE or VIGIL_API_KEY,
/// <c>--hostname</c>/VIGIL_HOSTNAME, <c>--heartbeat-seconds</c>.
/// </summary>
public static class AgentCommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var command = args.FirstOrDefault() ?? "help";
        var options = ParseOptions(args.Skip(1).ToArray());
        switch (command)
        {
            case "version":
                stdout.WriteLine(AgentSettings.Version);
                return 0;
            case "policy":
                return PolicyCommands.Run(args.Skip(1).ToArray(), stdout, stderr);
            case "status":
            case "run":
                var (settings, error) = BuildSettings(options);
                if (settings is null)
                {
                    stderr.WriteLine($"vigil-agent: {error}");
                    return 2;
                }
                if (command == "status")
                {
                    stdout.WriteLine($"version:   {AgentSettings.Version}");
                    stdout.WriteLine($"hostname:  {settings.Hostname}");
                    stdout.WriteLine($"ingest:    {settings.IngestUrl}");
                    stdout.WriteLine($"heartbeat: every {settings.HeartbeatInterval.TotalSeconds:0} s");
                    stdout.WriteLine("probes:    none yet (heartbeat-only agent)");
                    return 0;
                }
                await new AgentRunner(settings, stdout).RunAsync(ct);
                return 0;
            default:
                stdout.WriteLine("usage: vigil-agent run|status|version [--url URL] [--api-key-file FILE] [--hostname NAME] [--heartbeat-seconds N]");
                stdout.WriteLine("       vigil-agent policy check FILE|DIR…");
                stdout.WriteLine("       vigil-agent policy eval --event EVENT.json FILE|DIR…");
                return command is "help" or "--help" or "-h" ? 0 : 2;
        }
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
            options[args[i].TrimStart('-')] = args[i + 1];
        return options;
    }

    private static (AgentSettings? Settings, string? Error) BuildSettings(Dictionary<string, string> options)
    {
        var url = options.GetValueOrDefault("url") ?? Environment.GetEnvironmentVariable("VIGIL_INGEST_URL");
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var ingest))
            return (null, "set the Ingest URL with --url or VIGIL_INGEST_URL (for example http://127.0.0.1:5000)");

        var keyFile = options.GetValueOrDefault("api-key-file") ?? Environment.GetEnvironmentVariable("VIGIL_API_KEY_FILE");
        var key = keyFile is not null && File.Exists(keyFile)
            ? File.ReadAllText(keyFile).Trim()
            : Environment.GetEnvironmentVariable("VIGIL_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
            return (null, "set the agent API key with --api-key-file or VIGIL_API_KEY");

        var hostname = options.GetValueOrDefault("hostname") ?? Environment.GetEnvironmentVariable("VIGIL_HOSTNAME") ?? Environment.MachineName;
        var seconds = int.TryParse(options.GetValueOrDefault("heartbeat-seconds"), out var s) && s > 0 ? s : 30;
        return (new AgentSettings(ingest, key, hostname, TimeSpan.FromSeconds(seconds)), null);
    }
}
