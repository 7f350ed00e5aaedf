using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Vigil.Agent.Probes;
using Vigil.Agent.Probes.Ebpf;
using Vigil.Agent.Process;
using Vigil.Agent.Rules;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Agent.Pipeline;

/// <summary>Receives one agent event as UTF-8 JSON; the bytes are only valid during the call.</summary>
public delegate void AgentEventSink(ReadOnlySpan<byte> utf8Json);

/// <summary>
/// Probes → bounded channel → one consumer thread: process cache update, SECL event, rule evaluation, agent
/// event JSON to the sink. Probes that fail are reported in <see cref="StatusLines"/>; the pipeline keeps
/// running with what started. Further probes (file, DNS) plug in through <see cref="AddProbe"/>.
/// </summary>
public sealed class KernelPipeline : IAsyncDisposable
{
    public const int ChannelCapacity = 65_536;
    private readonly Channel<KernelEvent> _channel = Channel.CreateBounded<KernelEvent>(
        new BoundedChannelOptions(ChannelCapacity)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite,
            // The writer wakes the consumer thread itself; otherwise every wake-up goes through a thread-pool worker.
            AllowSynchronousContinuations = true,
        });
    private readonly List<IProbe> _probes = [];
    private readonly List<string> _failures = [];
    private readonly List<string> _triedDomains = [];
    private readonly RuleHost _rules;
    private readonly AgentEventSink _sink;
    private readonly ArrayBufferWriter<byte> _json = new(64 * 1024);
    private readonly Utf8JsonWriter _writer;
    private readonly ProcessCache _cache;
    private readonly SeclEventBuilder _builder;
    private readonly AgentEventSerializer _serializer;
    private readonly PipelineOptions _options;
    private readonly ProbeSelfTest _selfTest;
    private Thread? _consumer;
    private readonly AutoResetEvent _eventsQueued = new(false);
    private readonly Action _wakeConsumer;
    private SeclRuleSet? _typesOf;
    private IReadOnlySet<string> _eventTypes = new HashSet<string>();
    private long _processed, _matched, _errors;

    /// <summary>A pipeline whose sink takes JSON trees (parsed from the written event: tests, the shipper).</summary>
    public KernelPipeline(RuleHost rules, Action<JsonObject> sink, PipelineOptions? options = null)
        : this(rules, json => sink(JsonNode.Parse(json)!.AsObject()), options)
    {
    }

    public KernelPipeline(RuleHost rules, AgentEventSink sink, PipelineOptions? options = null)
    {
        _rules = rules;
        _sink = sink;
        _writer = new Utf8JsonWriter(_json, new JsonWriterOptions { SkipValidation = true });
        _wakeConsumer = () => _eventsQueued.Set();
        _options = options ?? new PipelineOptions();
        var users = new UserDirectory();
        _cache = new ProcessCache(users, new ContainerResolver());
        _builder = new SeclEventBuilder(_cache);
        _serializer = new AgentEventSerializer(users);
        _selfTest = new ProbeSelfTest(_options.SelfTestShell, _options.SelfTestTimeout);
    }

    /// <summary>Completes when the start-up self-test has its result (see <see cref="StatusLines"/>).</summary>
    public Task SelfTest { get; private set; } = Task.CompletedTask;

    public ProcessCache Cache => _cache;

    public long Processed => Interlocked.Read(ref _processed);

    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>Seeds the process cache, starts the consumer, then the probes (first working candidate per slot).</summary>
    public void Start()
    {
        _cache.SeedFromProc();
        _consumer = new Thread(Consume) { IsBackground = true, Name = "vigil-pipeline" };
        _consumer.Start();
        var types = _rules.EventTypes;
        var ebpf = new EbpfProbeOptions
        {
            ObjectPath = _options.BpfObjectPath,
            ModuleAttempts = types.Contains("load_module"),
            ExecutableMemory = types.Contains("mmap") || types.Contains("mprotect"),
        };
        StartFirst(ProbeSelection.Candidates(_options.ProcessProbe, ebpf));
        if (_options.SelfTestTimeout > TimeSpan.Zero)
            SelfTest = _selfTest.RunAsync(_probes.Any(p => p.Domains.Contains("process")), _probes.Any(p => p.Domains.Contains("kernel")));
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
            foreach (var domain in probe.Domains) // a domain no probe could serve still gets its line (unavailable)
            {
                if (!_triedDomains.Contains(domain)) _triedDomains.Add(domain);
            }
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
        foreach (var domain in new[] { "process", "kernel" }.Concat(_probes.SelectMany(p => p.Domains)).Concat(_triedDomains).Distinct())
        {
            var probe = _probes.FirstOrDefault(p => p.Domains.Contains(domain));
            lines.Add(probe is null ? $"{domain}: unavailable" : $"{domain}: {probe.Name} {probe.Status}");
        }
        lines.AddRange(_failures.Select(f => $"  tried {f}"));
        if (_options.SelfTestTimeout > TimeSpan.Zero) lines.Add($"self-test: {_selfTest.Result}");
        lines.Add($"pipeline: {Processed} events processed, {Matched} rule matches, {Interlocked.Read(ref _errors)} errors, {_cache.Count} processes cached");
        return lines;
    }

    /// <summary>
    /// Drains whatever is queued, then blocks until more arrives: a dedicated thread, not thread-pool continuations,
    /// whose wake-ups and spinning cost more than the events themselves in an exec storm.
    /// </summary>
    private void Consume()
    {
        var reader = _channel.Reader;
        while (true)
        {
            while (reader.TryRead(out var evt))
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
            try
            {
                _options.OnIdle?.Invoke();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A sink that cannot flush (closed stdout) must not end the consumer thread, and with it the process.
                Interlocked.Increment(ref _errors);
                _options.OnError?.Invoke(e);
            }
#pragma warning disable CA2012 // awaited by hand: one OnCompleted, then one GetResult
            var more = reader.WaitToReadAsync().GetAwaiter();
#pragma warning restore CA2012
            if (!more.IsCompleted)
            {
                // A kernel wait (no spinning, unlike Task.Wait): the writer's continuation sets the event.
                more.UnsafeOnCompleted(_wakeConsumer);
                _eventsQueued.WaitOne();
            }
            if (!more.GetResult()) return;
        }
    }

    private void Handle(KernelEvent evt)
    {
        try
        {
            Evaluate(evt);
        }
        finally
        {
            _options.Actions?.Evaluated(evt); // a process held at exec is released (or killed) whatever happened above
        }
    }

    private void Evaluate(KernelEvent evt)
    {
        Interlocked.Increment(ref _processed);
        var subject = _cache.Apply(evt);
        _options.OnEvent?.Invoke(evt, subject);
        if (_selfTest.Owns(subject))
        {
            if (evt.Kind == KernelEventKind.Exec) WarmUp(evt, subject);
            _selfTest.Observe(evt);
            return;
        }
        var type = SeclEventBuilder.EventType(evt);
        if (type is null || !EventTypes.Contains(type)) return; // no rule reads it: no SECL event, no evaluation
        var secl = _builder.Build(evt, subject);
        if (secl is null) return;
        foreach (var rule in _rules.Evaluate(secl))
        {
            Interlocked.Increment(ref _matched);
            // Actions first (a held or running process waits for them), then the event with their outcome.
            var actions = _options.Actions?.Perform(rule, secl, evt, subject);
            _sink(WriteEvent(rule, secl, evt, subject, actions));
        }
    }

    private ReadOnlySpan<byte> WriteEvent(SeclRule rule, SeclEvent secl, KernelEvent evt, ProcessEntry subject, JsonArray? actions)
    {
        _json.ResetWrittenCount();
        _writer.Reset();
        _serializer.Write(_writer, rule, secl, evt, subject, _cache, actions);
        _writer.Flush();
        return _json.WrittenSpan;
    }

    /// <summary>
    /// The self-test's exec goes through the SECL builder and the serializer (not the rules: no action, no rate limit;
    /// the JSON is discarded). The code of the event path is then compiled at start-up instead of during the first
    /// events: ReadyToRun cannot precompile the generic instantiations it uses (dictionaries keyed by the agent's own
    /// value types …), and compiling them in the middle of an exec storm cost the first storm more per exec than the next.
    /// </summary>
    private void WarmUp(KernelEvent evt, ProcessEntry subject)
    {
        if (_rules.RuleSet.Rules.Count == 0 || !EventTypes.Contains("exec")) return;
        if (_builder.Build(evt, subject) is { } secl) _ = WriteEvent(_rules.RuleSet.Rules[0], secl, evt, subject, null);
    }

    /// <summary>Event types the current rules read; it and the builder's field plan follow a replaced rule set.</summary>
    private IReadOnlySet<string> EventTypes
    {
        get
        {
            if (!ReferenceEquals(_typesOf, _rules.RuleSet))
            {
                _typesOf = _rules.RuleSet;
                _eventTypes = _rules.EventTypes;
                _builder.Plan = SeclFieldPlan.For(_typesOf.Rules);
            }
            return _eventTypes;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var probe in _probes) probe.Stop();
        _channel.Writer.TryComplete();
        if (_consumer is not null) await Task.Run(_consumer.Join);
        foreach (var probe in _probes) probe.Dispose();
        _eventsQueued.Dispose();
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
    /// <summary>Called on the consumer thread each time the queue is drained (a sink can flush what it buffered).</summary>
    public Action? OnIdle { get; init; }
    /// <summary>How long the start-up self-test waits for its events; zero turns it off.</summary>
    public TimeSpan SelfTestTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The shell the self-test runs (it needs <c>-c</c>, <c>kill</c> and <c>read</c>).</summary>
    public string SelfTestShell { get; init; } = "/bin/sh";
}
