using System.Runtime.InteropServices;
using Vigil.Agent.Interop;
using Vigil.Agent.Process;

namespace Vigil.Agent.Protection;

/// <summary>
/// Sends signals through pidfds: the pidfd pins the process, and the executable is checked after it is
/// opened, so a pid reused by another program between the event and the kill is never signalled.
/// </summary>
internal static class ProcessKiller
{
    public const int SIGKILL = 9, SIGCONT = 18;

    /// <summary>Null on success, else why not (gone, a different image now, or the errno).</summary>
    public static string? Signal(int pid, int signal, ulong expectedInode = 0)
    {
        var pidfd = ProtectionNative.PidfdOpen(pid);
        if (pidfd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ProtectionNative.ESRCH ? "process exited" : $"pidfd_open failed (errno {errno})";
        }
        try
        {
            if (IsZombie(pid)) return "process exited"; // a zombie accepts signals: it would look like a kill
            if (expectedInode != 0 && ExecutableInode(pid) is { } inode && inode != expectedInode)
                return "pid reused by another executable";
            if (ProtectionNative.PidfdSendSignal(pidfd, signal) == 0) return null;
            var errno = Marshal.GetLastPInvokeError();
            return errno == ProtectionNative.ESRCH ? "process exited" : $"pidfd_send_signal failed (errno {errno})";
        }
        finally
        {
            _ = Libc.Close(pidfd);
        }
    }

    private static bool IsZombie(int pid)
    {
        var stat = ProcFs.TryReadText($"/proc/{pid}/stat");
        var end = stat?.LastIndexOf(')') ?? -1;
        return stat is null || (end > 0 && end + 2 < stat.Length && stat[end + 2] is 'Z' or 'X');
    }

    /// <summary>The inode of /proc/pid/exe; null when it cannot be read (the process may be exiting).</summary>
    private static ulong? ExecutableInode(int pid) => Libc.Stat($"/proc/{pid}/exe", out var stat) == 0 ? stat.Inode : null;

    /// <summary>Processes of a container (same container id), for <c>scope: container</c>.</summary>
    public static IEnumerable<int> ContainerMembers(string containerId)
    {
        foreach (var pid in ProcFs.Pids())
        {
            var cgroup = ProcFs.TryReadText($"/proc/{pid}/cgroup");
            if (cgroup is not null && cgroup.Contains(containerId, StringComparison.Ordinal)) yield return pid;
        }
    }
}
