using Vigil.Agent.Pipeline;

namespace Vigil.Agent.Cli;

/// <summary>
/// <c>vigil-agent run|status|version|policy</c>. Settings come from options or the environment:
/// <c>--url</c>/VIGIL_INGEST_URL, <c>--api-key-file</c>/VIGIL_API_KEY_FILE or VIGIL_API_KEY,
/// <c>--hostname</c>/VIGIL_HOSTNAME, <c>--heartbeat-seconds</c>. <c>run --policy FILE|DIR --stdout</c> runs the kernel
/// pipeline without a backend and prints each rule match as one JSON line; <c>--probe auto|ebpf|audit|proc_connector</c>
/// (or VIGIL_PROCESS_PROBE) forces the process probe, <c>--dns-probe auto|ebpf|raw_socket</c> (or VIGIL_DNS_PROBE) the
/// DNS probe. <c>enroll</c> pins the organization's policy-signing key and
/// <c>run --remote-config</c> takes the signed policy from the backend (docs/remote-configuration.md).
/// </summary>
public static class AgentCommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var command = args.FirstOrDefault() ?? "help";
        var options = ParseOptions(args.Skip(1).ToArray());
        var probe = options.GetValueOrDefault("probe") ?? Environment.GetEnvironmentVariable("VIGIL_PROCESS_PROBE") ?? ProbeSelection.Auto;
        if (command is "run" or "status" && ProbeSelection.Validate(probe) is { } probeError)
        {
            stderr.WriteLine($"vigil-agent: {probeError}");
            return 2;
        }
        var (domains, domainError) = DomainOptions(options);
        if (command is "run" or "status" && domainError is not null)
        {
            stderr.WriteLine($"vigil-agent: {domainError}");
            return 2;
        }
        if (command == "run" && options.ContainsKey("stdout"))
            return await LocalRun.RunAsync(options.GetValueOrDefault("policy"), probe, stdout, stderr, ct, domains);
        switch (command)
        {
            case "version":
                stdout.WriteLine(AgentSettings.Version);
                return 0;
            case "policy":
                return PolicyCommands.Run(args.Skip(1).ToArray(), stdout, stderr);
            case "protect" when args.ElementAtOrDefault(1) == "bench":
                return await Protection.ProtectionBench.RunAsync(int.TryParse(ParseOptions(args.Skip(2).ToArray()).GetValueOrDefault("runs"), out var runs) && runs > 0 ? runs : 200, stdout, stderr);
            case "status":
            case "run":
            case "enroll":
                var (settings, error) = BuildSettings(options);
                if (settings is null)
                {
                    stderr.WriteLine($"vigil-agent: {error}");
                    return 2;
                }
                if (command == "enroll")
                    return await EnrollCommand.RunAsync(settings, options, stdout, stderr, ct);
                if (command == "status")
                {
                    stdout.WriteLine($"version:   {AgentSettings.Version}");
                    stdout.WriteLine($"hostname:  {settings.Hostname}");
                    stdout.WriteLine($"ingest:    {settings.IngestUrl}");
                    stdout.WriteLine($"heartbeat: every {settings.HeartbeatInterval.TotalSeconds:0} s");
                    foreach (var line in await LocalRun.ProbeStatusAsync(probe, domains!))
                        stdout.WriteLine($"probe      {line}");
                    return 0;
                }
                var policies = Lines(options.GetValueOrDefault("policy") ?? Environment.GetEnvironmentVariable("VIGIL_POLICY"));
                if (policies.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p)) is { } missing)
                {
                    stderr.WriteLine($"vigil-agent: no such policy file or directory: {missing}");
                    return 2;
                }
                var remoteConfig = RemoteConfigOptions(options);
                if (remoteConfig is not null && policies.Length > 0)
                {
                    stderr.WriteLine("vigil-agent: --remote-config takes the policy from the backend; leave out --policy (or VIGIL_POLICY)");
                    return 2;
                }
                if (remoteConfig is not null && RemoteConfig.PinnedPolicyKey.Read(remoteConfig.PinnedKeyPath) is (null, { } keyError))
                {
                    stderr.WriteLine($"vigil-agent: --remote-config: {keyError}");
                    return 2;
                }
                await new AgentRunner(settings, stdout, new AgentRunOptions
                {
                    Policies = policies, ProcessProbe = probe, Probes = domains!,
                    SpoolDirectory = options.GetValueOrDefault("spool") ?? AgentRunOptions.DefaultSpoolDirectory(),
                    RemoteConfig = remoteConfig,
                    AllowResponses = options.ContainsKey("allow-responses"),
                }).RunAsync(ct);
                return 0;
            default:
                stdout.WriteLine("usage: vigil-agent run|status|version [--url URL] [--api-key-file FILE] [--hostname NAME] [--heartbeat-seconds N] [--probe auto|ebpf|audit|proc_connector]");
                stdout.WriteLine("       vigil-agent run [--policy FILE|DIR]… [--spool DIR] [--watch DIR]… [--file-probe auto|inotify] [--dns-port N[,N…]] [--dns-probe auto|ebpf|raw_socket]  (ships matches to Ingest)");
                stdout.WriteLine("       vigil-agent run --policy FILE|DIR --stdout [--probe auto|ebpf|audit|proc_connector] [--watch DIR]… [--dns-port N] [--dns-probe auto|ebpf|raw_socket]");
                stdout.WriteLine("       vigil-agent run --remote-config [--policy-key FILE] [--policy-state DIR] [--tag KEY:VALUE]…  (signed policy from the backend)");
                stdout.WriteLine("       vigil-agent run … --allow-responses  (carry out kills responders request from a signal)");
                stdout.WriteLine("       vigil-agent enroll --url URL --api-key-file FILE [--policy-key FILE] [--public-key BASE64] [--force]");
                stdout.WriteLine("       vigil-agent policy check FILE|DIR…");
                stdout.WriteLine("       vigil-agent policy eval --event EVENT.json FILE|DIR…");
                stdout.WriteLine("       vigil-agent protect bench [--runs N]  (root: protection latency per mechanism)");
                return command is "help" or "--help" or "-h" ? 0 : 2;
        }
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].TrimStart('-');
            if (name is "stdout" or "remote-config" or "force" or "allow-responses") { options[name] = "true"; continue; } // the flags without a value
            if (i + 1 >= args.Length) break;
            // --policy and --watch may repeat: values are kept one per line
            options[name] = name is "policy" or "watch" or "tag" && options.TryGetValue(name, out var earlier) ? $"{earlier}\n{args[i + 1]}" : args[i + 1];
            i++;
        }
        return options;
    }

    /// <summary><c>--remote-config</c> with <c>--policy-key</c>, <c>--policy-state</c>, <c>--tag</c> (repeatable) or VIGIL_HOST_TAGS (comma-separated).</summary>
    private static RemoteConfig.RemoteConfigOptions? RemoteConfigOptions(Dictionary<string, string> options) =>
        !options.ContainsKey("remote-config") ? null : new RemoteConfig.RemoteConfigOptions
        {
            PinnedKeyPath = options.GetValueOrDefault("policy-key") ?? RemoteConfig.RemoteConfigOptions.DefaultPinnedKeyPath(),
            StateDirectory = options.GetValueOrDefault("policy-state") ?? RemoteConfig.RemoteConfigOptions.DefaultStateDirectory(),
            HostTags = [.. Lines(options.GetValueOrDefault("tag")), .. (Environment.GetEnvironmentVariable("VIGIL_HOST_TAGS") ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        };

    private static string[] Lines(string? value) => (value ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary><c>--watch DIR</c> (repeatable), <c>--file-probe auto|inotify</c>, <c>--dns-port N[,N…]</c>, <c>--dns-probe auto|ebpf|raw_socket</c>.</summary>
    private static (DomainProbeOptions? Options, string? Error) DomainOptions(Dictionary<string, string> options)
    {
        var watch = Lines(options.GetValueOrDefault("watch"));
        if (watch.FirstOrDefault(w => !Path.IsPathRooted(w)) is { } relative)
            return (null, $"--watch needs an absolute directory: {relative}");
        var fileProbe = options.GetValueOrDefault("file-probe") ?? "auto";
        if (fileProbe is not ("auto" or "fanotify" or "inotify"))
            return (null, $"--file-probe must be auto, fanotify or inotify, not {fileProbe}");
        var dnsProbe = options.GetValueOrDefault("dns-probe") ?? Environment.GetEnvironmentVariable("VIGIL_DNS_PROBE") ?? DnsProbeChoice.Auto;
        if (!DnsProbeChoice.Choices.Contains(dnsProbe))
            return (null, $"--dns-probe must be {string.Join(", ", DnsProbeChoice.Choices)}, not {dnsProbe}");
        var ports = new List<int>();
        foreach (var text in (options.GetValueOrDefault("dns-port") ?? "53").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(text, out var port) || port is < 1 or > 65535 || ports.Count >= 16)
                return (null, $"--dns-port takes up to 16 ports between 1 and 65535, not {text}");
            ports.Add(port);
        }
        return (new DomainProbeOptions { ExtraWatch = watch, ForceFileFallback = fileProbe == "inotify", DnsPorts = ports, DnsProbe = dnsProbe }, null);
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
