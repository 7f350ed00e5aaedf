using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Rules;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Kernel;

/// <summary>The start-up self-test: one real exec and one real kill syscall per pipeline, checked as they come through.</summary>
[Collection("kernel")]
public sealed class ProbeSelfTestTests(KernelFixture kernel)
{
    private async Task<(KernelPipeline Pipeline, ConcurrentQueue<JsonObject> Events)> StartAsync(PipelineOptions options, params string[] expressions)
    {
        var path = Path.Combine(kernel.Directory, $"selftest-{Guid.NewGuid():N}.policy");
        await File.WriteAllTextAsync(path, "rules:\n" + string.Concat(expressions.Select((e, i) => $"  - id: selftest_rule_{i}\n    expression: '{e}'\n")));
        var events = new ConcurrentQueue<JsonObject>();
        var pipeline = new KernelPipeline(RuleHost.Load([path]), e => events.Enqueue(e), options);
        pipeline.Start();
        return (pipeline, events);
    }

    private static string SelfTestLine(KernelPipeline pipeline) => pipeline.StatusLines().Single(l => l.StartsWith("self-test:", StringComparison.Ordinal));

    [RootFact]
    public async Task Ebpf_SelfTest_SeesItsExecAndItsKillSyscall_AndKeepsThemFromTheRules()
    {
        // Rules that match the self-test's own shell: its events must not reach them.
        var (pipeline, events) = await StartAsync(new PipelineOptions { ProcessProbe = ProbeSelection.Ebpf },
            "exec.argv in [~\"vigil-self-test-*\"]", "signal.pid > 0 && process.argv in [~\"vigil-self-test-*\"]");
        await using var _ = pipeline;

        await pipeline.SelfTest;

        var line = SelfTestLine(pipeline);
        Assert.Matches(@"^self-test: process ok \(exec seen after \d+ ms\), kernel ok \(kill syscall seen after \d+ ms\)$", line);
        Assert.Empty(events);
        Assert.Equal(0, pipeline.Matched); // its exec went through the builder and the serializer (start-up warm-up), never the rules
    }

    [RootFact]
    public async Task ProcConnector_SelfTest_ChecksTheProcessDomainOnly()
    {
        var (pipeline, _) = await StartAsync(new PipelineOptions { ProcessProbe = ProbeSelection.ProcConnector }, $"exec.file.path == \"{kernel.MarkerTrue}\"");
        await using var _ = pipeline;

        await pipeline.SelfTest;

        Assert.StartsWith("self-test: process ok (", SelfTestLine(pipeline), StringComparison.Ordinal);
        Assert.EndsWith("kernel not tested (no probe)", SelfTestLine(pipeline), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task SelfTest_ThatCannotRun_IsReportedAndThePipelineKeepsWorking()
    {
        var (pipeline, events) = await StartAsync(
            new PipelineOptions { ProcessProbe = ProbeSelection.Ebpf, SelfTestShell = "/nonexistent/sh" },
            $"exec.file.path == \"{kernel.MarkerTrue}\" && process.argv in [\"after-a-failed-self-test\"]");
        await using var _ = pipeline;

        await pipeline.SelfTest;
        Assert.StartsWith("self-test: FAILED: cannot run /nonexistent/sh", SelfTestLine(pipeline), StringComparison.Ordinal);
        Assert.Contains(pipeline.StatusLines(), l => l.StartsWith("process: ebpf running", StringComparison.Ordinal));

        using (var marker = System.Diagnostics.Process.Start(kernel.MarkerTrue, ["after-a-failed-self-test"])!) await marker.WaitForExitAsync();
        await Eventually.TrueAsync(() => Task.FromResult(!events.IsEmpty), "the rule's event after the failed self-test");
    }
}
