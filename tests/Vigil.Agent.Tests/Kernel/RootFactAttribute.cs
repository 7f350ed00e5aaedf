namespace Vigil.Agent.Tests.Kernel;

/// <summary>A fact that needs root on a real Linux kernel (eBPF, netlink); skipped with the reason otherwise. CI runs as root.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute() => Skip = RootRequirement.SkipReason;
}

/// <summary>Why a kernel test cannot run here, or null when it can (Linux, as root).</summary>
internal static class RootRequirement
{
    public static string? SkipReason =>
        !OperatingSystem.IsLinux() ? "needs a Linux kernel"
        : Interop.Libc.GetEuid() != 0 ? "needs root (eBPF, fanotify, proc connector, ptrace): run the tests as root as CI does"
        : null;
}
