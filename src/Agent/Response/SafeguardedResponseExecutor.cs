using Vigil.Agent.Process;
using Vigil.Agent.Protection;
using Vigil.Core.Contracts.Api;

namespace Vigil.Agent.Response;

/// <summary>
/// Kills a process a person asked for from a signal, through the same safeguards as Active Protection (pid 1,
/// kernel threads, the agent and its ancestors, the allow list) and only if the pid still runs the executable
/// the signal saw: a pid reused by another program is never signalled.
/// </summary>
public sealed class SafeguardedResponseExecutor(Safeguards safeguards) : IResponseExecutor
{
    public (string Outcome, string? Detail) Execute(AgentResponseActionDto action)
    {
        if (action.Signal is not (9 or 15))
            return (ResponseActionStates.Refused, $"signal {action.Signal} is not one an operator may send");
        if (!ProcFs.TryReadStatus(action.Pid, out var ppid, out _, out _))
            return (ResponseActionStates.Failed, "process exited");
        var executable = ProcFs.TryReadExe(action.Pid) ?? "";
        if (safeguards.Refusal(action.Pid, ppid, executable) is { } refusal)
            return (ResponseActionStates.Refused, refusal);
        if (action.ExecutablePath is { Length: > 0 } expected && executable.Length > 0 && !string.Equals(expected, executable, StringComparison.Ordinal))
            return (ResponseActionStates.Refused, $"pid now runs {executable}, not {expected}");
        return ProcessKiller.Signal(action.Pid, action.Signal) is { } error
            ? (ResponseActionStates.Failed, error)
            : (ResponseActionStates.Performed, null);
    }
}
