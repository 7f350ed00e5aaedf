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
        var seen = new ConcurrentQueue<string>();
        var (pipeline, events) = await StartAsync(new PipelineOptions { ProcessProbe = ProbeSelection.ProcConnector,
            OnEvent = (e, p) => seen.Enqueue($"{e.Kind} {e.Pid} {p.Executable.Path} {string.Join(' ', p.Argv)} {p.Missing}"), OnError = e => seen.Enqueue(e.ToString()) });
        await using var _ = pipeline;
        Assert.Contains(pipeline.StatusLines(), l => l.StartsWith("process: proc_connector running", StringComparison.Ordinal));
        Assert.Contains(pipeline.StatusLines(), l => l == "kernel: unavailable");

        // A process that lives long enough for /proc to be read (sleep 3+1 s): the connector's exec event carries only the pid.
        using var sleeper = System.Diagnostics.Process.Start(kernel.MarkerSleep, ["3", "1"])!;
        string sleeperPid() => " " + sleeper.Id + " ";
        JsonObject evt;
        try
        {
            evt = await Eventually.ReturnsAsync(
                () => Task.FromResult(events.FirstOrDefault(e => e["process"]!["pid"]!.GetValue<int>() == sleeper.Id)),
                "an exec event from the proc connector", TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{seen.Count} seen; {string.Join(" | ", pipeline.StatusLines())}; " + string.Join("\n", seen.Where(s => s.Contains(sleeperPid(), StringComparison.Ordinal) || s.Contains("Exception", StringComparison.Ordinal)).Take(20)));
        }
        sleeper.Kill();

        AgentEventSchema.AssertValid(evt);
        Assert.Equal("proc_connector", (string?)evt["process"]!["source"]);
        Assert.Equal(kernel.MarkerSleep, (string?)evt["process"]!["executable"]!["path"]);
        Assert.Equal(["3", "1"], evt["process"]!["args"]!.AsArray().Select(a => (string?)a));
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
    public async Task Auto_WhenEbpfCannotLoad_FallsBackToAudit()
    {
        var before = AuditState();
        var (pipeline, _) = await StartAsync(new PipelineOptions { ProcessProbe = ProbeSelection.Auto, BpfObjectPath = "/nonexistent/vigil.bpf.o" });
        await using (pipeline)
        {
            var lines = pipeline.StatusLines();
            Assert.Contains(lines, l => l.StartsWith("process: audit running", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("kernel: audit running", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("tried ebpf: failed", StringComparison.Ordinal));
        }
        Assert.Equal(before, AuditState());
    }

    [RootFact]
    public async Task Audit_Forced_ReportsExecWithExactArgvAndRestoresAuditState()
    {
        var before = AuditState();
        var (pipeline, events) = await StartAsync(new PipelineOptions { ProcessProbe = ProbeSelection.Audit });
        await using (pipeline)
        {
            Assert.Contains(pipeline.StatusLines(), l => l.StartsWith("process: audit running", StringComparison.Ordinal));
            Assert.Equal(1u, AuditState().Enabled);

            using var sleeper = System.Diagnostics.Process.Start(kernel.MarkerSleep, ["0.2", "two words", "quote\"d"])!;
            var evt = await Eventually.ReturnsAsync(
                () => Task.FromResult(events.FirstOrDefault(e => e["process"]!["pid"]!.GetValue<int>() == sleeper.Id)),
                "an exec event from audit", TimeSpan.FromSeconds(60));
            await sleeper.WaitForExitAsync();

            AgentEventSchema.AssertValid(evt);
            Assert.Equal("audit", (string?)evt["process"]!["source"]);
            Assert.Equal(kernel.MarkerSleep, (string?)evt["process"]!["executable"]!["path"]);
            Assert.Equal(["0.2", "two words", "quote\"d"], evt["process"]!["args"]!.AsArray().Select(a => (string?)a));
            Assert.Equal(Environment.ProcessId, evt["process"]!["ppid"]!.GetValue<int>());
        }
        Assert.Equal(before, AuditState());
    }

    private static Probes.Audit.AuditNetlink.Status AuditState()
    {
        var fd = Probes.Audit.AuditNetlink.Open();
        Assert.True(fd >= 0, $"audit socket: errno {-fd}");
        try
        {
            Assert.Equal(0, Probes.Audit.AuditNetlink.GetStatus(fd, out var status));
            return status;
        }
        finally
        {
            _ = Interop.Libc.Close(fd);
        }
    }

    [RootFact]
    public async Task Auto_WhenEbpfCannotLoad_StillStartsAProcessProbe()
    {
        var (pipeline, _) = await StartAsync(new PipelineOptions { ProcessProbe = ProbeSelection.Auto, BpfObjectPath = "/nonexistent/vigil.bpf.o" });
        await using var _ = pipeline;

        var lines = pipeline.StatusLines();
        Assert.DoesNotContain("process: unavailable", lines);
        Assert.Contains(lines, l => l.Contains("tried ebpf: failed", StringComparison.Ordinal));
    }
}
