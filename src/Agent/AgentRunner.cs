using Vigil.Agent.Pipeline;
using Vigil.Agent.Protection;
using Vigil.Agent.RemoteConfig;
using Vigil.Agent.Response;
using Vigil.Agent.Rules;
using Vigil.Agent.Shipping;

namespace Vigil.Agent;

/// <summary>What <c>vigil-agent run</c> does besides the heartbeat: the policies it enforces, its probes and its spool.</summary>
public sealed record AgentRunOptions
{
    /// <summary>Policy files or directories; none means a heartbeat-only agent.</summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    public string ProcessProbe { get; init; } = ProbeSelection.Auto;

    public DomainProbeOptions Probes { get; init; } = new();

    /// <summary>Where batches wait until Ingest has them (<c>--spool</c> / VIGIL_SPOOL_DIR).</summary>
    public string SpoolDirectory { get; init; } = DefaultSpoolDirectory();

    /// <summary>Set: the policy comes from the backend (<c>--remote-config</c>), signed, instead of <see cref="Policies"/>.</summary>
    public RemoteConfigOptions? RemoteConfig { get; init; }

    /// <summary>Carry out the response actions people request from a signal (<c>--allow-responses</c>); off by default.</summary>
    public bool AllowResponses { get; init; }

    public static string DefaultSpoolDirectory() =>
        Environment.GetEnvironmentVariable("VIGIL_SPOOL_DIR") is { Length: > 0 } configured ? configured
        : Environment.UserName == "root" ? "/var/lib/vigil-agent/spool"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "vigil-agent", "spool");
}

/// <summary>
/// The agent's main loop: the kernel pipeline evaluates the policies and hands each match to the shipper,
/// which spools and sends it; a heartbeat with the shipper's counters and the probe status goes out every
/// interval. Stopping stops the probes first, then flushes the shipper (what is not sent stays spooled).
/// </summary>
public sealed class AgentRunner(AgentSettings settings, TextWriter log, AgentRunOptions? run = null)
{
    private readonly AgentRunOptions _run = run ?? new AgentRunOptions();
    private FollowingProtection? _protection;

    public async Task RunAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Directory.CreateDirectory(_run.SpoolDirectory);
        await using var shipper = new EventShipper(new ShipperOptions { SpoolDirectory = _run.SpoolDirectory }, settings, http, log);
        shipper.Start();
        log.WriteLine($"vigil-agent {AgentSettings.Version}: host {settings.Hostname}, shipping to {settings.IngestUrl}, spool {_run.SpoolDirectory}");

        var remote = StartRemoteConfig(http, ct);
        var pipeline = StartPipeline(shipper, remote?.Rules);
        var responses = StartResponses(ct);
        long processed = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (pipeline is not null)
                {
                    var now = pipeline.Processed;
                    shipper.Counters.AddSeen(now - processed);
                    processed = now;
                    foreach (var (probe, lost) in pipeline.Losses())
                        shipper.Counters.SetProbeLosses(probe, lost);
                }
                var status = ProbeStatus(pipeline);
                if (_protection?.StatusLines() is [var protection, ..]) status["protection"] = protection["protection:".Length..].Trim();
                shipper.TryEnqueue(AgentEventFactory.Heartbeat(DateTimeOffset.UtcNow, shipper.Counters, status));
                await Delay(settings.HeartbeatInterval, ct);
            }
        }
        finally
        {
            if (pipeline is not null)
                await pipeline.DisposeAsync();
            if (remote is not null)
                await remote.Value.Loop;
            if (responses is not null)
                await responses;
            _protection?.Dispose();
        }
    }

    /// <summary>Response actions (kill a signal's process): polled on their own long-lived connection, through the protection safeguards.</summary>
    private Task? StartResponses(CancellationToken ct)
    {
        if (!_run.AllowResponses)
            return null;
        var safeguards = _protection?.Engine?.Safeguards ?? new Safeguards(new ProtectionOptions());
        var http = new HttpClient { Timeout = ResponseActionClient.PollWait + TimeSpan.FromSeconds(30) };
        var client = new ResponseActionClient(http, settings, new SafeguardedResponseExecutor(safeguards), line => log.WriteLine($"vigil-agent: {line}"));
        log.WriteLine("vigil-agent: response actions: carried out when requested from a signal (--allow-responses)");
        return Task.Run(async () =>
        {
            using (http) await client.RunAsync(ct);
        }, CancellationToken.None);
    }

    /// <summary>Remote configuration: the last good policy from disk at once, then the backend's, swapped in as it changes.</summary>
    private (RuleHost Rules, Task Loop)? StartRemoteConfig(HttpClient http, CancellationToken ct)
    {
        if (_run.RemoteConfig is not { } options)
            return null;
        var (key, error) = PinnedPolicyKey.Read(options.PinnedKeyPath);
        if (key is null)
            throw new InvalidOperationException($"remote configuration needs a pinned policy key: {error}");
        var rules = RuleHost.Empty();
        var service = new RemoteConfigService(rules, new RemoteConfigClient(http, settings), key, options, settings.Hostname, log);
        service.LoadLastGood();
        return (rules, Task.Run(() => service.RunAsync(ct), CancellationToken.None));
    }

    private KernelPipeline? StartPipeline(EventShipper shipper, RuleHost? remoteRules)
    {
        if (_run.Policies.Count == 0 && remoteRules is null)
            return null;
        var rules = remoteRules ?? RuleHost.Load(_run.Policies);
        foreach (var error in rules.Loaded.Errors)
            log.WriteLine($"vigil-agent: {error}");
        void Ship(System.Text.Json.Nodes.JsonObject agentEvent)
        {
            shipper.Counters.AddMatched();
            shipper.TryEnqueue(agentEvent);
        }
        // Protection starts first: its exec program must run before the probes' on each exec.
        // Remote configuration may swap in kill or block rules later: the protection follows the rule host.
        _protection = new FollowingProtection(rules, Ship, line => log.WriteLine($"vigil-agent: {line}"));
        var pipeline = new KernelPipeline(rules, Ship,
            new PipelineOptions { ProcessProbe = _run.ProcessProbe, OnError = e => log.WriteLine($"vigil-agent: event dropped: {e.Message}"), Actions = _protection });
        pipeline.Start();
        DomainProbes.Add(pipeline, rules, _run.Probes);
        log.WriteLine($"vigil-agent: {rules.RuleSet.Rules.Count} rules loaded");
        foreach (var line in pipeline.StatusLines().Concat(_protection?.StatusLines() ?? []))
            log.WriteLine($"vigil-agent: {line}");
        return pipeline;
    }

    /// <summary>One status line per domain for the heartbeat; kernel losses go to the shipper's counters.</summary>
    private static Dictionary<string, string> ProbeStatus(KernelPipeline? pipeline)
    {
        var status = new Dictionary<string, string>(StringComparer.Ordinal);
        if (pipeline is null)
        {
            status["process"] = "disabled: no policy loaded";
            return status;
        }
        foreach (var line in pipeline.StatusLines().Where(l => !l.StartsWith(' ')))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                status[line[..colon]] = line[(colon + 1)..].Trim();
        }
        return status;
    }

    private static async Task Delay(TimeSpan wait, CancellationToken ct)
    {
        try
        {
            await Task.Delay(wait, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
