using System.Diagnostics;
using Vigil.Agent.Protection;
using Vigil.Agent.Tests.Kernel;

namespace Vigil.Agent.Tests.Protection;

/// <summary>
/// The fanotify gate on its own, marking only a tmpfs mounted for the test: if the gate misbehaves, only the
/// canaries on that mount wait, never the rest of the machine.
/// </summary>
[Collection("protection")]
public sealed class ExecBlockGateTests : IDisposable
{
    private readonly string _mount = Directory.CreateTempSubdirectory("vigilgate-").FullName;

    public ExecBlockGateTests()
    {
        Run("mount", "-t", "tmpfs", "-o", "size=1m", "vigil-gate-test", _mount);
    }

    /// <summary>
    /// A child spawned while the gate runs holds a copy of the gate's descriptor until its exec completes. When that
    /// exec is still queued as the gate stops, closing the descriptor does not release the group: the gate has to
    /// answer it, or the child (and every later exec on the gated mounts) waits forever.
    /// </summary>
    [RootFact]
    public void Dispose_WithAnExecQueuedBehindASlowDecision_AnswersItBeforeClosing()
    {
        var (first, second) = (Canary("first"), Canary("second"));
        using var deciding = new ManualResetEventSlim();
        var gate = new ExecBlockGate((_, _) =>
        {
            deciding.Set();
            Thread.Sleep(500); // a slow decision: the next exec queues behind it
            return null;
        }, [_mount]);
        Assert.True(gate.Start(), gate.Status);

        var firstRun = Task.Factory.StartNew(() => CanaryRun.Spawn(first), TaskCreationOptions.LongRunning);
        Assert.True(deciding.Wait(TimeSpan.FromSeconds(10)), "the gate never asked about the first exec");
        var secondRun = Task.Factory.StartNew(() => CanaryRun.Spawn(second), TaskCreationOptions.LongRunning);
        Thread.Sleep(100); // the second exec is now queued, unread, while the first decision runs

        var stopped = Stopwatch.StartNew();
        gate.Dispose();
        var outcomes = Task.WhenAll(firstRun, secondRun);
        Assert.True(outcomes.Wait(CanaryRun.Timeout + TimeSpan.FromSeconds(5)), "a canary never returned");

        Assert.All(outcomes.Result, o => Assert.Equal((0, false), (o.ExitCode, o.TimedOut)));
        Assert.True(ProtectionHarness.Ran(first) && ProtectionHarness.Ran(second), "both canaries should have run");
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(10), $"the queued exec waited {stopped.Elapsed} after the gate stopped");
    }

    [RootFact]
    public void Gate_DeniesOnlyWhatTheCallbackDenies_AndCountsItsDecisions()
    {
        var (denied, allowed) = (Canary("denied"), Canary("allowed"));
        using var gate = new ExecBlockGate((_, fd) =>
            new FileInfo($"/proc/self/fd/{fd}").LinkTarget == denied ? () => { } : null, [_mount]);
        Assert.True(gate.Start(), gate.Status);
        Assert.Equal("running on 1 mounts", gate.Status);

        Assert.True(CanaryRun.Spawn(denied).Denied);
        Assert.Equal(0, CanaryRun.Spawn(allowed).ExitCode);

        Assert.False(ProtectionHarness.Ran(denied));
        Assert.True(ProtectionHarness.Ran(allowed));
        Assert.Equal((2L, 1L), gate.Counters); // static canaries: no interpreter is opened
    }

    private string Canary(string name)
    {
        var path = Path.Combine(_mount, name);
        CanaryBinary.Write(path, path + ".ran");
        return path;
    }

    private static void Run(string program, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), $"{program} did not finish");
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {process.StandardError.ReadToEnd()}");
    }

    public void Dispose()
    {
        // Lazy: the gate's marks on the mount are released asynchronously after its group closes, which can keep
        // the mount busy for a moment.
        Run("umount", "-l", _mount);
        Directory.Delete(_mount);
    }
}
