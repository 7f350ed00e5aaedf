namespace Vigil.Agent.Tests.Kernel;

/// <summary>A theory that needs root on Linux (skipped with the reason otherwise), like <c>[RootFact]</c>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute() => Skip = RootRequirement.SkipReason;
}
