using System.Text.Json.Nodes;
using System.Threading.Channels;
using Vigil.Agent.Probes;
using Vigil.Agent.Probes.Ebpf;
using Vigil.Agent.Process;
using Vigil.Agent.Rules;

namespace Vigil.Agent.Pipeline;

/// <summary>
/// Probes → bounded channel → one consumer: process cache update, SECL event, rule evaluation, agent
/// event JSON to the sink. Probes that fail are reported in <see cref="StatusLines"/>; the pipeline keeps
/// running with what started. Further probes (file, DNS) plug in through <see cref="AddProbe"/>.
/// </summary>
public sealed class KernelPipeline : IAsyncDisposable
{
    public const int ChannelCapacity = 65_536;
    private readonly Channel<KernelEvent> _channel = Channel.CreateBounded<KernelEvent>(
        new BoundedChannelOptions(ChannelCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<IProbe> _probes = [];
    private readonly List<string> _failures = [];
    private readonly RuleHost _rules;
    private readonly Action<JsonObject> _sink;
    private readonly ProcessCache _cache;
    private readonly SeclEventBuilder _builder;
    private readonly AgentEventSerializer _serializer;
    private readonly PipelineOptions _options;
    private Task? _consumer;
    private long _processed, _matched, _errors;

    public KernelPipeline(RuleHost rules, Action<JsonObject> sink, PipelineOptions? options = null)
    {
        _rules = rules;
        _sink = sink;
        _options = options ?? new PipelineOptions();
        var users = new UserDirectory();
        _cache = new ProcessCache(users, new ContainerResolver());
        _builder = new SeclEventBuilder(_cache);
        _serializer = new AgentEventSerializer(users);
    }

    public ProcessCache Cache => _cache;

    public long Processed => Interlocked.Read(ref _processed);

    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>Seeds the process cache, starts the consumer, then the probes (first working candidate per slot).</summary>
    public void Start()
    {
        _cache.SeedFromProc();
        _consumer = Task.Factory.StartNew(ConsumeAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        var types = _rules.EventTypes;
        var ebpf = new EbpfProbeOptions
        {
            ObjectPath = _options.BpfObjectPath,
            ModuleAttempts = types.Contains("load_module"),
            ExecutableMemory = types.Contains("mmap") || types.Contains("mprotect"),
        };
        StartFirst(ProbeSelection.Candidates(_options.ProcessProbe, ebpf));
    }

    /// <summary>Starts an extra probe (file, DNS …) on the same channel; a failure is reported, not thrown.</summary>
    public bool AddProbe(IProbe probe) => StartFirst([() => probe]);

    private bool StartFirst(IReadOnlyList<Func<IProbe>> candidates)
    {
        foreach (var create in candidates)
        {
            var probe = create();
            bool started;
            try
            {
                started = probe.Start(_channel.Writer);
            }
            catch (Exception e)
            {
                started = false;
                _failures.Add($"{probe.Name}: failed: {e.GetType().Name}: {e.Message}");
            }
            if (started)
            {
                _probes.Add(probe);
                return true;
            }
            if (!_failures.Any(f => f.StartsWith(probe.Name + ":", StringComparison.Ordinal))) _failures.Add($"{probe.Name}: {probe.Status}");
            probe.Dispose();
        }
        return false;
    }

    /// <summary>Events each running probe lost (ring buffer, queue overflow, full channel), by probe name.</summary>
    public IReadOnlyDictionary<string, long> Losses() =>
        _probes.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Sum(p => p.Status.Lost), StringComparer.Ordinal);

    /// <summary>One line per domain (process, kernel …) with the probe serving it, plus probes that could not start.</summary>
    public IReadOnlyList<string> StatusLines()
    {
        var lines = new List<string>();
        foreach (var domain in new[] { "process", "kernel" }.Concat(_probes.SelectMany(p => p.Domains)).Distinct())
        {
            var probe = _probes.FirstOrDefault(p => p.Domains.Contains(domain));
            lines.Add(probe is null ? $"{domain}: unavailable" : $"{domain}: {probe.Name} {probe.Status}");
        }
        lines.AddRange(_failures.Select(f => $"  tried {f}"));
        lines.Add($"pipeline: {Processed} events processed, {Matched} rule matches, {Interlocked.Read(ref _errors)} errors, {_cache.Count} processes cached");
        return lines;
    }

    private async Task ConsumeAsync()
    {
        await foreach (var evt in _channel.Reader.ReadAllAsync())
        {
            try
            {
                Handle(evt);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One bad event must not stop the pipeline; the count shows up in status.
                Interlocked.Increment(ref _errors);
                _options.OnError?.Invoke(e);
            }
        }
    }

    private void Handle(KernelEvent evt)
    {
        Interlocked.Increment(ref _processed);
        var subject = _cache.Apply(evt);
        _options.OnEvent?.Invoke(evt, subject);
        var secl = _builder.Build(evt, subject);
        if (secl is null) return;
        foreach (var rule in _rules.Evaluate(secl))
        {
            Interlocked.Increment(ref _matched);
            // Actions first (a held or running process waits for them), then the event with their outcome.
            var actions = _options.Actions?.Perform(rule, secl, evt, subject);
            var json = _serializer.Serialize(rule, secl, evt, subject, _cache);
            if (actions is not null) json["agent"]!["rule_actions"] = actions;
            _sink(json);
        }
        _options.Actions?.Evaluated(evt);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var probe in _probes) probe.Stop();
        _channel.Writer.TryComplete();
        if (_consumer is not null) await _consumer;
        foreach (var probe in _probes) probe.Dispose();
    }
}

/// <summary>Pipeline settings: the process probe mode (auto, ebpf, audit, proc_connector), the BPF object, hooks for tests and status.</summary>
public sealed record PipelineOptions
{
    public string ProcessProbe { get; init; } = ProbeSelection.Auto;
    public string? BpfObjectPath { get; init; }
    /// <summary>Called for every event after the cache update (diagnostics, tests).</summary>
    public Action<KernelEvent, ProcessEntry>? OnEvent { get; init; }
    public Action<Exception>? OnError { get; init; }
    /// <summary>Runs kill/block actions of matched rules (Active Protection); none: monitoring only.</summary>
    public Protection.IRuleActionHandler? Actions { get; init; }
}
