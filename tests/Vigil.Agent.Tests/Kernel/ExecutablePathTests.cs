using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Rules;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Kernel;

/// <summary>
/// The process cache remembers which real path an execve path led to (a storm of execs of one binary resolves it once):
/// the same execve path naming another file later must not get the remembered path.
/// </summary>
[Collection("kernel")]
public sealed class ExecutablePathTests(KernelFixture kernel)
{
    [RootFact]
    public async Task Exec_OfASymlinkRepointedBetweenExecs_ReportsTheFileItNamedEachTime()
    {
        var first = Path.Combine(kernel.Directory, "repoint-first");
        var second = Path.Combine(kernel.Directory, "repoint-second");
        var link = Path.Combine(kernel.Directory, $"repoint-{Guid.NewGuid():N}");
        File.Copy("/bin/dash", first); // a shell that stays alive until its stdin closes: /proc/pid/exe can be read
        File.Copy("/bin/dash", second);
        File.CreateSymbolicLink(link, first);
        var policy = Path.Combine(kernel.Directory, $"repoint-{Guid.NewGuid():N}.policy");
        await File.WriteAllTextAsync(policy, "rules:\n  - id: repoint\n    expression: exec.file.name in [\"repoint-first\", \"repoint-second\"]\n");
        var events = new ConcurrentQueue<JsonObject>();
        await using var pipeline = new KernelPipeline(RuleHost.Load([policy]), e => events.Enqueue(e),
            new PipelineOptions { ProcessProbe = ProbeSelection.Ebpf, SelfTestTimeout = TimeSpan.Zero });
        pipeline.Start();

        var before = await ExecAsync(link, "before-repoint", events);
        File.Delete(link);
        File.CreateSymbolicLink(link, second);
        var after = await ExecAsync(link, "after-repoint", events);

        Assert.Equal(first, (string?)before["executable"]!["path"]);
        Assert.Equal(second, (string?)after["executable"]!["path"]);
        Assert.True(Interop.Libc.Stat(second, out var stat) == 0);
        Assert.Equal(stat.Inode, after["executable"]!["inode"]!.GetValue<ulong>());
    }

    private static async Task<JsonNode> ExecAsync(string path, string marker, ConcurrentQueue<JsonObject> events)
    {
        var start = new System.Diagnostics.ProcessStartInfo(path) { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", "read _", marker }) start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        try
        {
            var evt = await Eventually.ReturnsAsync(
                () => Task.FromResult(events.FirstOrDefault(e => e["process"]!["args"]!.AsArray().Any(a => (string?)a == marker))),
                $"the exec event of {marker}", TimeSpan.FromSeconds(30));
            return evt["process"]!;
        }
        finally
        {
            process.StandardInput.Close();
            await process.WaitForExitAsync();
        }
    }
}
