using Vigil.Agent.Shipping;

namespace Vigil.Agent.Tests.Shipping;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(0, 500, 1000)]
    [InlineData(1, 1000, 2000)]
    [InlineData(3, 4000, 8000)]
    [InlineData(10, 30_000, 60_000)] // capped at the maximum
    [InlineData(1000, 30_000, 60_000)] // no overflow after a very long outage
    public void Delay_AfterFailures_DoublesWithJitterUpToTheMaximum(int failures, double minMs, double maxMs)
    {
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Delay(failures, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)).TotalMilliseconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, minMs, maxMs));
        Assert.True(delays.Distinct().Count() > 1, "jittered");
    }
}
