namespace Vigil.Agent.Tests.Protection;

/// <summary>A theory that needs root on Linux (skipped with the reason otherwise), like <c>[RootFact]</c>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs a Linux kernel";
        else if (Interop.Libc.GetEuid() != 0) Skip = "needs root: run the tests as root as CI does";
    }
}
