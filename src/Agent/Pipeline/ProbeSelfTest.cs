using System.Diagnostics;
using Vigil.Agent.Probes;
using Vigil.Agent.Process;

namespace Vigil.Agent.Pipeline;

/// <summary>
/// Checks at start that the running probes deliver: it runs one short shell whose argv carries a unique marker and
/// which sends itself signal 0, then waits for the exec (process domain) and the kill syscall (kernel domain) to come
/// through the pipeline. Events of that shell are the test's own: they are not evaluated against the rules. A failed
/// check is reported (status, heartbeat), never thrown: the agent keeps running with what works.
/// </summary>
internal sealed class ProbeSelfTest(string shell, TimeSpan timeout)
{
    private readonly string _marker = $"vigil-self-test-{Guid.NewGuid():N}";
    private readonly TaskCompletionSource _exec = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _kill = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _result = "running";

    /// <summary>One line: each domain's outcome.</summary>
    public string Result => _result;

    /// <summary>True when the process is the self-test's shell: its events are the test's own (not for the rules).</summary>
    public bool Owns(ProcessEntry subject) => Array.IndexOf(subject.Argv, _marker) >= 0;

    /// <summary>Called by the pipeline for each event of the self-test's shell.</summary>
    public void Observe(KernelEvent evt)
    {
        if (evt.Kind == KernelEventKind.Exec) _exec.TrySetResult();
        else if (evt.Kind == KernelEventKind.Syscall && evt.Syscall == Syscalls.Kill) _kill.TrySetResult();
    }

    /// <summary>Runs the check for the domains that have a probe (process, kernel).</summary>
    public async Task RunAsync(bool processProbe, bool kernelProbe)
    {
        if (!processProbe && !kernelProbe)
        {
            _result = "not run (no process or kernel probe)";
            return;
        }
        var started = Stopwatch.StartNew();
        System.Diagnostics.Process? child = null;
        try
        {
            // `read` keeps the shell alive until stdin closes, so a probe that reads /proc (proc connector) sees its argv.
            var start = new ProcessStartInfo(shell) { RedirectStandardInput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-c", "kill -0 $$; read _", _marker }) start.ArgumentList.Add(arg);
            child = System.Diagnostics.Process.Start(start);
        }
        catch (Exception e)
        {
            _result = $"FAILED: cannot run {shell} ({e.Message})";
            return;
        }
        try
        {
            var process = processProbe ? await Outcome(_exec.Task, "exec", started) : "not tested (no probe)";
            var kernel = kernelProbe ? await Outcome(_kill.Task, "kill syscall", started) : "not tested (no probe)";
            _result = $"process {process}, kernel {kernel}";
        }
        finally
        {
            child?.StandardInput.Close();
            if (child is not null && !child.WaitForExit(1000)) child.Kill();
            child?.Dispose();
        }
    }

    private async Task<string> Outcome(Task arrived, string what, Stopwatch started)
    {
        var left = timeout - started.Elapsed;
        if (left > TimeSpan.Zero && await Task.WhenAny(arrived, Task.Delay(left)) == arrived)
            return $"ok ({what} seen after {started.ElapsedMilliseconds} ms)";
        return $"FAILED (no {what} event within {timeout.TotalSeconds:0.#} s)";
    }
}
