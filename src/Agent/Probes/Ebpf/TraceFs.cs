using System.Runtime.InteropServices;
using Vigil.Agent.Interop;

namespace Vigil.Agent.Probes.Ebpf;

/// <summary>tp/ programs resolve tracepoint ids under tracefs, which some hosts do not mount at boot.</summary>
internal static class TraceFs
{
    private const string Path = "/sys/kernel/tracing";

    /// <summary>Mounts tracefs if needed; returns null when it is available, else why not.</summary>
    public static string? EnsureMounted()
    {
        if (Directory.Exists($"{Path}/events")) return null;
        if (Libc.Mount("nodev", Path, "tracefs", 0, 0) == 0) return null;
        return $"tracefs is not mounted at {Path} and mounting it failed (errno {Marshal.GetLastPInvokeError()})";
    }
}
