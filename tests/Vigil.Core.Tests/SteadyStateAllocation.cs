namespace Vigil.Core.Tests;

/// <summary>
/// Bytes a loop allocates on this thread once warm. The runtime can allocate once on the measuring thread
/// while a loop runs (tiered JIT replacing a method mid-loop, a lazily built runtime cache), which has
/// nothing to do with the code under test; a real per-call allocation shows in every attempt, so the
/// smallest of a few attempts is the steady-state figure.
/// </summary>
internal static class SteadyStateAllocation
{
    public static long Measure(Action loop, int attempts = 3)
    {
        loop(); // warm-up
        var smallest = long.MaxValue;
        for (var attempt = 0; attempt < attempts && smallest > 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            loop();
            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return smallest;
    }
}
