namespace Vigil.Agent.Tests.Kernel;

/// <summary>A fact that needs root on a real Linux kernel (eBPF, netlink); skipped with the reason otherwise. CI runs as root.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs a Linux kernel";
        else if (Interop.Libc.GetEuid() != 0) Skip = "needs root (eBPF, proc connector, ptrace): run the tests as root as CI does";
    }
}
