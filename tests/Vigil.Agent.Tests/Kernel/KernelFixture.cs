using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Rules;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Kernel;

[CollectionDefinition("kernel")]
public sealed class KernelCollection : ICollectionFixture<KernelFixture>;

/// <summary>
/// One eBPF pipeline for the kernel tests, with a policy written at start (it names this run's marker
/// binaries and the test host's pid). Every emitted event is collected; tests pick theirs by pid.
/// Helpers run Python children that name themselves "vigiltest" (prctl) so rules do not match other work.
/// </summary>
public sealed class KernelFixture : IAsyncLifetime
{
    public const string Comm = "vigiltest";
    public static readonly string Python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"vigiltest-{Guid.NewGuid():N}");
    public string MarkerTrue => Path.Combine(Directory, "vigiltest-true");
    public string MarkerSleep => Path.Combine(Directory, "vigiltest-sleep");
    public string PolicyPath => Path.Combine(Directory, "kernel-tests.policy");
    public ConcurrentQueue<JsonObject> Events { get; } = new();
    public KernelPipeline? Pipeline { get; private set; }

    public Task InitializeAsync()
    {
        if (Interop.Libc.GetEuid() != 0) return Task.CompletedTask; // the tests skip themselves
        System.IO.Directory.CreateDirectory(Directory);
        File.Copy("/usr/bin/true", MarkerTrue);
        File.Copy("/usr/bin/sleep", MarkerSleep);
        File.WriteAllText(PolicyPath, Policy(Environment.ProcessId));
        var rules = RuleHost.Load([PolicyPath]);
        Assert.Empty(rules.Loaded.Errors);
        // Round-trip through text, as a consumer of the JSON lines would see the events.
        Pipeline = new KernelPipeline(rules, e => Events.Enqueue(JsonNode.Parse(e.ToJsonString())!.AsObject()), new PipelineOptions { ProcessProbe = ProbeSelection.Ebpf });
        Pipeline.Start();
        return Task.CompletedTask;
    }

    public static string Policy(int testHostPid) => $$"""
        rules:
          - id: vigiltest_exec_lineage
            description: marker binary run by Python under the test host
            expression: exec.file.name == "vigiltest-true" && process.parent.file.name =~ "python3*" && process.ancestors.pid == {{testHostPid}} && process.argv in ["two words"]
          - id: vigiltest_ptrace
            expression: ptrace.request == PTRACE_ATTACH && process.comm == "{{Comm}}"
          - id: vigiltest_bpf
            expression: bpf.cmd == BPF_MAP_CREATE && process.comm == "{{Comm}}"
          - id: vigiltest_module
            expression: load_module.loaded_from_memory == false && process.comm == "{{Comm}}"
          - id: vigiltest_setuid
            expression: setuid.uid == 65534 && process.comm == "{{Comm}}"
          - id: vigiltest_memfd_exec
            expression: exec.file.name == "memfd:vigiltest-payload"
          - id: vigiltest_signal
            expression: signal.type == SIGUSR2 && process.comm == "{{Comm}}"
          - id: vigiltest_exit
            expression: exit.code == 9 && process.file.name == "vigiltest-sleep"
        """;

    /// <summary>The first collected event of <paramref name="ruleId"/> that satisfies <paramref name="match"/>.</summary>
    public Task<JsonObject> WaitForAsync(string ruleId, Func<JsonObject, bool> match) =>
        Eventually.ReturnsAsync(() => Task.FromResult(Events.FirstOrDefault(e => (string?)e["agent"]?["rule_id"] == ruleId && match(e))),
            $"an agent event of rule {ruleId}", TimeSpan.FromSeconds(60));

    /// <summary>Starts a Python script named "vigiltest"; it may wait for <c>release</c> (a file path in argv[1]) before exiting.</summary>
    public static System.Diagnostics.Process StartPython(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import ctypes\nctypes.CDLL(None).prctl(15, b\"" + Comm + "\", 0, 0, 0)\n" + script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // A small environment of its own: the eBPF probe keeps the first 2 KiB of a process's environment, and a
        // test runner's environment alone can be longer than that (the variable would be cut off).
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["VIGILTEST_ENV"] = "present";
        return System.Diagnostics.Process.Start(start)!;
    }

    public static async Task<string> FinishAsync(System.Diagnostics.Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        return output + error;
    }

    public async Task DisposeAsync()
    {
        if (Pipeline is not null) await Pipeline.DisposeAsync();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, true);
    }
}
