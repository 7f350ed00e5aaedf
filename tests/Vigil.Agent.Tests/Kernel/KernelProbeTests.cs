using System.Text.Json.Nodes;

namespace Vigil.Agent.Tests.Kernel;

/// <summary>Real kernel, real eBPF: each test does the thing (exec, ptrace, bpf …) and asserts the agent event the rule emitted.</summary>
[Collection("kernel")]
public sealed class KernelProbeTests(KernelFixture kernel)
{
    /// <summary>Waits until the test has seen its event, then lets the helper exit.</summary>
    private const string WaitForRelease = """
        import os, sys, time
        def wait_release():
            deadline = time.time() + 60
            while not os.path.exists(sys.argv[1]) and time.time() < deadline:
                time.sleep(0.05)
        """;

    private string ReleaseFile() => Path.Combine(kernel.Directory, $"release-{Guid.NewGuid():N}");

    private static int Int(JsonNode? node) => node!.GetValue<int>();

    [RootFact]
    public async Task Exec_WithArgvFromPythonParent_ReportsProcessParentAndAncestors()
    {
        var release = ReleaseFile();
        using var parent = KernelFixture.StartPython(WaitForRelease + $"""

            import subprocess
            subprocess.run(["{kernel.MarkerTrue}", "alpha", "two words", "--flag"])
            wait_release()
            """, release);

        var evt = await kernel.WaitForAsync("vigiltest_exec_lineage", e => Int(e["process"]!["ppid"]) == parent.Id);
        await File.WriteAllTextAsync(release, "");
        await KernelFixture.FinishAsync(parent);

        AgentEventSchema.AssertValid(evt);
        var process = evt["process"]!;
        Assert.Equal("exec", (string?)evt["evt"]!["name"]);
        Assert.Equal(kernel.MarkerTrue, (string?)process["executable"]!["path"]);
        Assert.Equal("vigiltest-true", (string?)process["executable"]!["name"]);
        Assert.True(Interop.Libc.Stat(kernel.MarkerTrue, out var stat) == 0);
        Assert.Equal(stat.Inode, process["executable"]!["inode"]!.GetValue<ulong>());
        Assert.Equal(kernel.MarkerTrue, (string?)process["argv0"]);
        Assert.Equal(["alpha", "two words", "--flag"], process["args"]!.AsArray().Select(a => (string?)a));
        Assert.Contains("VIGILTEST_ENV", process["envs"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(0, Int(process["uid"]));
        Assert.Equal("root", (string?)process["user"]);
        Assert.Equal("ebpf", (string?)process["source"]);
        Assert.Equal(parent.Id, Int(process["parent"]!["pid"]));
        Assert.Equal(new FileInfo(KernelFixture.Python).ResolveLinkTarget(true)?.FullName ?? KernelFixture.Python,
            (string?)process["parent"]!["executable"]!["path"]);
        var ancestors = process["ancestors"]!.AsArray();
        Assert.Equal(parent.Id, Int(ancestors[0]!["pid"]));
        Assert.Contains(Environment.ProcessId, ancestors.Select(a => Int(a!["pid"])));
    }

    [RootFact]
    public async Task Ptrace_AttachToChild_ReportsRequestAndTracee()
    {
        using var tracer = KernelFixture.StartPython("""
            import os, time
            libc = ctypes.CDLL(None, use_errno=True)
            child = os.fork()
            if child == 0:
                time.sleep(30); os._exit(0)
            print(child, flush=True)
            libc.ptrace(16, child, 0, 0)
            os.waitpid(child, 0)
            libc.ptrace(17, child, 0, 0)
            os.kill(child, 9); os.waitpid(child, 0)
            """);
        var output = await KernelFixture.FinishAsync(tracer);
        var child = int.Parse(output.Split('\n')[0]);

        var evt = await kernel.WaitForAsync("vigiltest_ptrace", e => Int(e["process"]!["pid"]) == tracer.Id);

        AgentEventSchema.AssertValid(evt);
        Assert.Equal("PTRACE_ATTACH", (string?)evt["ptrace"]!["request"]);
        Assert.Equal(child, Int(evt["ptrace"]!["tracee"]!["pid"]));
        Assert.Equal(tracer.Id, Int(evt["ptrace"]!["tracee"]!["ppid"]));
    }

    [RootFact]
    public async Task Bpf_MapCreateCall_IsReportedEvenWhenItFails()
    {
        using var caller = KernelFixture.StartPython("""
            libc = ctypes.CDLL(None, use_errno=True)
            print(libc.syscall(321, 0, None, 0), ctypes.get_errno())
            """);
        await KernelFixture.FinishAsync(caller);

        var evt = await kernel.WaitForAsync("vigiltest_bpf", e => Int(e["process"]!["pid"]) == caller.Id);

        AgentEventSchema.AssertValid(evt);
        Assert.Equal("BPF_MAP_CREATE", (string?)evt["bpf"]!["cmd"]);
        Assert.Equal("Kernel Activity", (string?)evt["evt"]!["category"]);
    }

    [RootFact]
    public async Task FinitModule_OfABogusFile_IsReportedAsAnAttempt()
    {
        var release = ReleaseFile();
        var bogus = Path.Combine(kernel.Directory, "vigiltest_bogus.ko");
        await File.WriteAllTextAsync(bogus, "not an ELF module");
        using var loader = KernelFixture.StartPython(WaitForRelease + $"""

            libc = ctypes.CDLL(None, use_errno=True)
            fd = os.open("{bogus}", os.O_RDONLY)
            print(libc.syscall(313, fd, b"vigil_param=1", 0), ctypes.get_errno(), flush=True)
            wait_release()
            """, release);

        var evt = await kernel.WaitForAsync("vigiltest_module", e => Int(e["process"]!["pid"]) == loader.Id);
        await File.WriteAllTextAsync(release, "");
        var output = await KernelFixture.FinishAsync(loader);

        Assert.StartsWith("-1 ", output, StringComparison.Ordinal); // the load itself fails (no modules, or not an ELF)
        AgentEventSchema.AssertValid(evt);
        Assert.Equal("vigiltest_bogus", (string?)evt["module"]!["name"]);
        Assert.False(evt["module"]!["loaded_from_memory"]!.GetValue<bool>());
        Assert.Equal(["vigil_param=1"], evt["module"]!["argv"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(bogus, (string?)evt["file"]!["path"]);
    }

    [RootFact]
    public async Task Setuid_ToNobody_ReportsTheNewCredentials()
    {
        using var changer = KernelFixture.StartPython("""
            import os
            os.setuid(65534)
            print(os.getuid())
            """);
        var output = await KernelFixture.FinishAsync(changer);
        Assert.Equal("65534", output.Trim());

        var evt = await kernel.WaitForAsync("vigiltest_setuid", e => Int(e["process"]!["pid"]) == changer.Id);

        AgentEventSchema.AssertValid(evt);
        var destination = evt["process"]!["credentials"]!["destination"]!;
        Assert.Equal(65534, Int(destination["uid"]));
        Assert.Equal(65534, Int(destination["euid"]));
        Assert.Equal("nobody", (string?)destination["user"]);
        Assert.Equal(0, Int(evt["process"]!["uid"])); // before the call
    }

    [RootFact]
    public async Task MemfdExec_ReportsTheMemfdAsTheExecutable()
    {
        using var runner = KernelFixture.StartPython($"""
            import os
            fd = os.memfd_create("vigiltest-payload", 0)
            os.write(fd, open("{kernel.MarkerSleep}", "rb").read())
            os.execve(f"/proc/self/fd/{"{fd}"}", ["vigiltest-memfd", "30"], dict(os.environ))
            """);
        try
        {
            var evt = await kernel.WaitForAsync("vigiltest_memfd_exec", e => Int(e["process"]!["pid"]) == runner.Id);

            AgentEventSchema.AssertValid(evt);
            Assert.Equal("memfd:vigiltest-payload", (string?)evt["process"]!["executable"]!["path"]);
            Assert.Equal(["30"], evt["process"]!["args"]!.AsArray().Select(a => (string?)a));
            Assert.Equal("vigiltest-memfd", (string?)evt["process"]!["argv0"]);
        }
        finally
        {
            runner.Kill();
            await runner.WaitForExitAsync();
        }
    }

    [RootFact]
    public async Task Kill_WithSigusr2_ReportsSignalAndTarget()
    {
        using var sender = KernelFixture.StartPython("""
            import os, signal, time
            child = os.fork()
            if child == 0:
                time.sleep(30); os._exit(0)
            print(child, flush=True)
            time.sleep(0.2)
            os.kill(child, signal.SIGUSR2)
            os.waitpid(child, 0)
            """);
        var output = await KernelFixture.FinishAsync(sender);
        var child = int.Parse(output.Split('\n')[0]);

        var evt = await kernel.WaitForAsync("vigiltest_signal", e => Int(e["process"]!["pid"]) == sender.Id);

        AgentEventSchema.AssertValid(evt);
        Assert.Equal("SIGUSR2", (string?)evt["signal"]!["type"]);
        Assert.Equal(child, Int(evt["signal"]!["pid"]));
        Assert.Equal(child, Int(evt["signal"]!["target"]!["pid"]));
    }

    [RootFact]
    public async Task Exit_KilledBySigkill_ReportsCauseAndSignal()
    {
        using var parent = KernelFixture.StartPython($"""
            import os, signal, time
            pid = os.fork()
            if pid == 0:
                os.execv("{kernel.MarkerSleep}", ["vigiltest-sleep", "30"])
            print(pid, flush=True)
            time.sleep(0.5)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            """);
        var output = await KernelFixture.FinishAsync(parent);
        var child = int.Parse(output.Split('\n')[0]);

        var evt = await kernel.WaitForAsync("vigiltest_exit", e => Int(e["process"]!["pid"]) == child);

        AgentEventSchema.AssertValid(evt);
        Assert.Equal("exit", (string?)evt["evt"]!["name"]);
        Assert.Equal("KILLED", (string?)evt["exit"]!["cause"]);
        Assert.Equal(9, Int(evt["exit"]!["code"]));
        Assert.Equal(parent.Id, Int(evt["process"]!["ppid"]));
    }

    [RootFact]
    public void Status_WithEbpf_ServesProcessAndKernelDomains()
    {
        var lines = kernel.Pipeline!.StatusLines();

        Assert.Contains(lines, l => l.StartsWith("process: ebpf running", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("kernel: ebpf running", StringComparison.Ordinal));
    }
}
