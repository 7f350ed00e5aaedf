using System.Diagnostics;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Rules;

namespace Vigil.Agent.Tests.Kernel;

/// <summary>
/// Probe failures the agent must survive with a clear status line: a corrupt BPF object, missing capabilities, an
/// unmounted tracefs. The last two run the agent's own <c>status</c> command as a child with fewer capabilities or in
/// a private mount namespace, so the test host keeps its own.
/// </summary>
[Collection("kernel")]
public sealed class ProbeFailureTests(KernelFixture kernel)
{
    private static readonly string AgentDll = typeof(KernelPipeline).Assembly.Location;

    [RootFact]
    public async Task Auto_WithACorruptBpfObject_SaysSoAndFallsBack()
    {
        var corrupt = Path.Combine(kernel.Directory, "corrupt.bpf.o");
        await File.WriteAllBytesAsync(corrupt, [.. "\x7fELF not really"u8, .. new byte[512]]);
        await using var pipeline = new KernelPipeline(RuleHost.Empty(), static (System.Text.Json.Nodes.JsonObject _) => { },
            new PipelineOptions { ProcessProbe = ProbeSelection.Auto, BpfObjectPath = corrupt });
        pipeline.Start();

        var lines = pipeline.StatusLines();
        Assert.Contains(lines, l => l.Contains($"tried ebpf: failed: cannot open BPF object {corrupt}", StringComparison.Ordinal));
        Assert.DoesNotContain("process: unavailable", lines);
    }

    [RootFact]
    public async Task Status_WithoutBpfCapabilities_SaysTheKernelRefusedAndUsesAFallback()
    {
        var output = await RunAsync("setpriv", "--bounding-set=-bpf,-perfmon,-sys_admin", "dotnet", AgentDll, "status", "--probe", "auto",
            "--url", "http://127.0.0.1:9");

        Assert.Contains("tried ebpf: failed: the kernel refused the BPF programs", output, StringComparison.Ordinal);
        Assert.Matches(@"probe\s+process: (audit|proc_connector) running", output);
        Assert.Matches(@"probe\s+self-test: process ok", output);
    }

    [RootFact]
    public async Task Status_WithTracefsUnmounted_MountsItAndRunsEbpf()
    {
        // In a private mount namespace: unmount tracefs there (the test host's mount is untouched), check it is gone,
        // then run the agent.
        var output = await RunAsync("unshare", "--mount", "--propagation", "private", "sh", "-c",
            "umount /sys/kernel/debug/tracing 2>/dev/null; umount /sys/kernel/tracing 2>/dev/null; " +
            "if [ -e /sys/kernel/tracing/events ]; then echo 'tracefs still mounted'; exit 1; fi; " +
            "exec dotnet \"$0\" status --probe ebpf --url http://127.0.0.1:9", AgentDll);

        Assert.DoesNotContain("tracefs still mounted", output, StringComparison.Ordinal);
        Assert.Matches(@"probe\s+process: ebpf running: \d+ tracepoint programs attached", output);
        Assert.Matches(@"probe\s+self-test: process ok .*, kernel ok", output);
    }

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["VIGIL_API_KEY"] = "unused"; // status needs settings; it sends nothing
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return await stdout + await stderr;
    }
}
