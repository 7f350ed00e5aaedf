using Vigil.Agent.Protection;

namespace Vigil.Agent.Tests.Protection;

/// <summary>The per-rule rate limit and the executable disarmer, on a manual clock.</summary>
public sealed class RuleActionGuardTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Now { get; set; } = 1_000_000;
        public override long GetTimestamp() => Now;
        public override long TimestampFrequency => 1_000_000;
    }

    [Fact]
    public void RateLimit_RefusesBeyondTheBurst_ThenRefills()
    {
        var clock = new ManualClock();
        var guard = new RuleActionGuard(new ProtectionOptions { MaxActionsPerSecond = 3 }, clock);
        var verdicts = Enumerable.Range(0, 4).Select(_ => guard.Check("r", "/bin/same")).ToList();
        Assert.Equal([GuardVerdict.Allowed, GuardVerdict.Allowed, GuardVerdict.Allowed, GuardVerdict.RateLimited], verdicts);
        clock.Now += 1_000_000; // one second
        Assert.Equal(GuardVerdict.Allowed, guard.Check("r", "/bin/same"));
        Assert.Equal(GuardVerdict.Allowed, guard.Check("other", "/bin/same")); // per rule
    }

    [Fact]
    public void Disarmer_TripsOnTooManyDistinctExecutables_AndRearmsAfterThePeriod()
    {
        var clock = new ManualClock();
        var guard = new RuleActionGuard(new ProtectionOptions { DisarmerMaxExecutables = 2, DisarmerPeriod = TimeSpan.FromSeconds(60) }, clock);
        var changes = new List<(string, bool)>();
        guard.ArmingChanged += (rule, disarmed) => changes.Add((rule, disarmed));

        Assert.Equal(GuardVerdict.Allowed, guard.Check("r", "/a"));
        Assert.Equal(GuardVerdict.Allowed, guard.Check("r", "/a")); // same executable: not distinct
        Assert.Equal(GuardVerdict.Allowed, guard.Check("r", "/b"));
        Assert.Equal(GuardVerdict.Disarmed, guard.Check("r", "/c"));
        Assert.Equal(GuardVerdict.Disarmed, guard.Check("r", "/a"));
        Assert.Equal(["r"], guard.DisarmedRules());
        clock.Now += 61_000_000;
        Assert.Equal(GuardVerdict.Allowed, guard.Check("r", "/a"));
        Assert.Equal([("r", true), ("r", false)], changes);
        Assert.Equal(1, guard.Trips("r"));
    }

    [Fact]
    public void KernelActions_AreCountedAndCanTripTheDisarmer()
    {
        var guard = new RuleActionGuard(new ProtectionOptions { DisarmerMaxExecutables = 1 }, new ManualClock());
        Assert.Equal(GuardVerdict.Allowed, guard.Record("r", "/a"));
        Assert.Equal(GuardVerdict.Allowed, guard.Record("r", "/b")); // already done in the kernel: reported as performed
        Assert.Equal(GuardVerdict.Disarmed, guard.Check("r", "/c"));
    }
}
