using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Protection;
using Vigil.Agent.Rules;

namespace Vigil.Agent.Cli;

/// <summary><c>vigil-agent run --policy FILE --stdout</c>: the kernel pipeline with local policies, matches as JSON lines, no backend.</summary>
public static class LocalRun
{
    public static async Task<int> RunAsync(string? policies, string probe, TextWriter stdout, TextWriter stderr, CancellationToken ct, DomainProbeOptions? domains = null)
    {
        var paths = (policies ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (paths.Length == 0)
        {
            stderr.WriteLine("vigil-agent: run --stdout needs --policy FILE|DIR (a Datadog .policy file or a directory of them)");
            return 2;
        }
        var missing = paths.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p));
        if (missing is not null)
        {
            stderr.WriteLine($"vigil-agent: no such policy file or directory: {missing}");
            return 2;
        }
        var rules = RuleHost.Load(paths);
        foreach (var error in rules.Loaded.Errors) stderr.WriteLine($"vigil-agent: {error}");
        stderr.WriteLine($"vigil-agent {AgentSettings.Version}: {rules.RuleSet.Rules.Count} rules loaded");

        var output = TextWriter.Synchronized(stdout);
        // The process's own stdout gets the UTF-8 bytes as written, flushed whenever the pipeline has drained its queue
        // (one write per batch of events, not per line); other writers (tests) get text. Protection reports from its
        // own threads, so writes are serialized and its lines flushed at once.
        using var raw = ReferenceEquals(stdout, Console.Out) ? new BufferedStream(Console.OpenStandardOutput(), 256 * 1024) : null;
        var gate = new object();
        AgentEventSink sink = raw is null
            ? json => output.WriteLine(Encoding.UTF8.GetString(json))
            : json =>
            {
                lock (gate)
                {
                    raw.Write(json);
                    raw.WriteByte((byte)'\n');
                }
            };
        // Protection starts first: its exec program must run before the probes' on each exec.
        using var protection = ProtectionStartup.Start(rules, evt =>
        {
            sink(JsonSerializer.SerializeToUtf8Bytes(evt));
            lock (gate) raw?.Flush();
        }, line => stderr.WriteLine($"vigil-agent: {line}"));
        await using var pipeline = new KernelPipeline(rules, sink, new PipelineOptions
        {
            ProcessProbe = probe, OnError = e => stderr.WriteLine($"vigil-agent: event dropped: {e.Message}"), Actions = protection,
            OnIdle = () =>
            {
                lock (gate) raw?.Flush();
            },
        });
        pipeline.Start();
        DomainProbes.Add(pipeline, rules, domains ?? new DomainProbeOptions());
        await pipeline.SelfTest;
        foreach (var line in pipeline.StatusLines().Concat(protection?.StatusLines() ?? [])) stderr.WriteLine($"vigil-agent: {line}");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var line in pipeline.StatusLines().Concat(protection?.StatusLines() ?? [])) stderr.WriteLine($"vigil-agent: {line}");
        output.Flush();
        return 0;
    }

    /// <summary>Starts the probes once with no rules (the capability check) and reports one line per domain, DNS included.</summary>
    public static async Task<IReadOnlyList<string>> ProbeStatusAsync(string probe, DomainProbeOptions? domains = null)
    {
        await using var pipeline = new KernelPipeline(RuleHost.Empty(), static (JsonObject _) => { }, new PipelineOptions { ProcessProbe = probe });
        pipeline.Start();
        DomainProbes.AddDns(pipeline, domains ?? new DomainProbeOptions());
        await pipeline.SelfTest;
        return pipeline.StatusLines();
    }
}
