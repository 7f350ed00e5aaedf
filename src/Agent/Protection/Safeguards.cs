using Vigil.Agent.Process;

namespace Vigil.Agent.Protection;

/// <summary>
/// Processes protection never acts on, whatever a rule says: pid 1, kernel threads, the agent and its
/// ancestors (killing a parent could take the agent down with it), exempt pids and allow-listed executables.
/// </summary>
public sealed class Safeguards
{
    private readonly HashSet<int> _exempt;
    private readonly HashSet<string> _allowed;

    public Safeguards(ProtectionOptions options)
    {
        _exempt = [.. AgentAndAncestors(), .. options.ExemptPids];
        _allowed = new HashSet<string>(options.AllowList.SelectMany(p => new[] { p, Resolve(p) }), StringComparer.Ordinal);
    }

    /// <summary>The agent and its ancestors, up to (not including) pid 1.</summary>
    public IReadOnlyCollection<int> ExemptPids => _exempt;

    public IReadOnlyCollection<string> AllowedPaths => _allowed;

    /// <summary>Why the process must not be acted on (pid_1, kernel_thread, agent, allow_list), or null.</summary>
    public string? Refusal(int pid, int ppid, string executablePath)
    {
        if (pid <= 1) return "pid_1";
        if (pid == 2 || ppid == 2) return "kernel_thread"; // kthreadd and its children
        if (_exempt.Contains(pid)) return pid == Environment.ProcessId ? "agent" : "agent_ancestor";
        if (executablePath.Length == 0 && ProcFs.TryReadExe(pid) is null) return "kernel_thread"; // no executable image
        if (executablePath.Length > 0 && _allowed.Contains(executablePath)) return "allow_list";
        return null;
    }

    private static IEnumerable<int> AgentAndAncestors()
    {
        var pid = Environment.ProcessId;
        for (var depth = 0; pid > 1 && depth < 64; depth++)
        {
            yield return pid;
            if (!ProcFs.TryReadStatus(pid, out var ppid, out _, out _)) yield break;
            pid = ppid;
        }
    }

    private static string Resolve(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }
}
