using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Rules;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Kernel;

/// <summary>Forced fallbacks and failing probes: the agent keeps running and says which probe serves each domain.</summary>
[Collection("kernel")]
public sealed class FallbackProbeTests(KernelFixture kernel)
{
    private static string Policy(KernelFixture kernel) => $"""
        rules:
          - id: fallback_exec
            expression: exec.file.path == "{kernel.MarkerSleep}"
        """;

    private async Task<(KernelPipeline Pipeline, ConcurrentQueue<JsonObject> Events)> StartAsync(PipelineOptions options)
    {
        var path = Path.Combine(kernel.Directory, $"fallback-{Guid.NewGuid():N}.policy");
        await File.WriteAllTextAsync(path, Policy(kernel));
        var events = new ConcurrentQueue<JsonObject>();
        var pipeline = new KernelPipeline(RuleHost.Load([path]), e => events.Enqueue(JsonNode.Parse(e.ToJsonString())!.AsObject()), options);
        pipeline.Start();
        return (pipeline, events);
    }

    [RootFact]
    public async Task ProcConnector_Forced_ReportsExecEnrichedFromProc()
    {
        var (pipeline, events) = await StartAsync(new PipelineOptions { ProcessProbe = ProbeSelection.ProcConnector });
        await using var _ = pipeline;
        Assert.Contains(pipeline.StatusLines(), l => l.StartsWith("process: proc_connector running", StringComparison.Ordinal));
        Assert.Contains(pipeline.StatusLines(), l => l == "kernel: unavailable");

        // A process that lives long enough for /proc to be read: the connector's exec event carries only the pid.
        using var sleeper = System.Diagnostics.Process.Start(kernel.MarkerSleep, ["3", "fallback-arg"])!;
        var evt = await Eventually.ReturnsAsync(
            () => Task.FromResult(events.FirstOrDefault(e => e["process"]!["pid"]!.GetValue<int>() == sleeper.Id)),
            "an exec event from the proc connector", TimeSpan.FromSeconds(60));
        sleeper.Kill();

        AgentEventSchema.AssertValid(evt);
        Assert.Equal("proc_connector", (string?)evt["process"]!["source"]);
        Assert.Equal(kernel.MarkerSleep, (string?)evt["process"]!["executable"]!["path"]);
        Assert.Equal(["3", "fallback-arg"], evt["process"]!["args"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(Environment.ProcessId, evt["process"]!["parent"]!["pid"]!.GetValue<int>());
    }

    [RootFact]
    public async Task Ebpf_ForcedWithoutItsObject_FailsClearlyAndThePipelineKeepsRunning()
    {
        var (pipeline, _) = await StartAsync(new PipelineOptions { ProcessProbe = ProbeSelection.Ebpf, BpfObjectPath = "/nonexistent/vigil.bpf.o" });
        await using var _ = pipeline;

        var lines = pipeline.StatusLines();
        Assert.Contains("process: unavailable", lines);
        Assert.Contains(lines, l => l.Contains("tried ebpf: failed: BPF object /nonexistent/vigil.bpf.o not found", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("pipeline:", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task Auto_WhenEbpfCannotLoad_FallsBackToTheProcConnector()
    {
        var (pipeline, _) = await StartAsync(new PipelineOptions { ProcessProbe = ProbeSelection.Auto, BpfObjectPath = "/nonexistent/vigil.bpf.o" });
        await using var _ = pipeline;

        var lines = pipeline.StatusLines();
        Assert.Contains(lines, l => l.StartsWith("process: proc_connector running", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("tried ebpf: failed", StringComparison.Ordinal));
    }
}
