using System.Text.Json.Nodes;
using Vigil.Agent.Cli;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Kernel;

/// <summary><c>vigil-agent run --policy FILE --stdout</c> and <c>status</c> through the command line entry point.</summary>
[Collection("kernel")]
public sealed class LocalRunTests(KernelFixture kernel)
{
    [RootFact]
    public async Task RunStdout_WithAPolicy_PrintsEachMatchAsOneJsonLine()
    {
        var policy = Path.Combine(kernel.Directory, "cli.policy");
        await File.WriteAllTextAsync(policy, $"""
            rules:
              - id: cli_exec
                expression: exec.file.path == "{kernel.MarkerTrue}" && process.argv in ["cli-marker"]
            """);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = AgentCommandLine.RunAsync(["run", "--policy", policy, "--stdout", "--probe", "ebpf"], stdout, stderr, stop.Token);
        await Eventually.TrueAsync(() => Task.FromResult(stderr.ToString().Contains("process: ebpf running", StringComparison.Ordinal)), "the agent to start");

        using (var marker = System.Diagnostics.Process.Start(kernel.MarkerTrue, ["cli-marker"])!) await marker.WaitForExitAsync();
        await Eventually.TrueAsync(() => Task.FromResult(stdout.ToString().Contains("cli_exec", StringComparison.Ordinal)), "a JSON line on stdout");
        await stop.CancelAsync();
        Assert.Equal(0, await run);

        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var evt = JsonNode.Parse(lines.Single(l => l.Contains("cli_exec", StringComparison.Ordinal)))!.AsObject();
        AgentEventSchema.AssertValid(evt);
        Assert.Equal(["cli-marker"], evt["process"]!["args"]!.AsArray().Select(a => (string?)a));
        Assert.Contains("1 rules loaded", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAnUnknownProbe_FailsNamingTheChoices()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await AgentCommandLine.RunAsync(["run", "--stdout", "--probe", "kprobe"], stdout, stderr, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("unknown probe `kprobe` (choose one of auto, ebpf, audit, proc_connector)", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunStdout_WithoutAPolicy_FailsWithUsage()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await AgentCommandLine.RunAsync(["run", "--stdout"], stdout, stderr, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("run --stdout needs --policy", stderr.ToString(), StringComparison.Ordinal);
    }
}
