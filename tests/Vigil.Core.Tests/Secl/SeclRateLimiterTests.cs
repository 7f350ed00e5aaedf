using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Policy;

namespace Vigil.Core.Tests.Secl;

public sealed class SeclRateLimiterTests
{
    private const long Millisecond = 1_000_000;

    private static SeclRule Rule(string extra) => SeclPolicyLoader.Load(new SeclPolicySource("p.policy", SeclPolicySources.File,
        $"rules:\n  - id: r\n    expression: exec.file.name != \"\"\n{extra}")).RuleSet.Rules.Single();

    private static SeclEvent Exec(string name) => new SeclEvent("exec").SetValue("exec.file.name", name);

    [Fact]
    public void DefaultLimiter_AllowsABurstOf40ThenOneEventPer100Milliseconds()
    {
        var limiter = new SeclRateLimiter();
        var rule = Rule("");
        var allowed = Enumerable.Range(0, 50).Count(_ => limiter.Allow(rule, Exec("a"), 0));
        Assert.Equal(40, allowed);
        Assert.True(limiter.Allow(rule, Exec("a"), 100 * Millisecond));
        Assert.False(limiter.Allow(rule, Exec("a"), 150 * Millisecond));
        Assert.Equal((41, 11), limiter.Counters["r"]);
    }

    [Fact]
    public void Every_AllowsOneEventPerInterval()
    {
        var limiter = new SeclRateLimiter();
        var rule = Rule("    every: 10s\n");
        Assert.True(limiter.Allow(rule, Exec("a"), 0));
        Assert.False(limiter.Allow(rule, Exec("a"), 5_000 * Millisecond));
        Assert.True(limiter.Allow(rule, Exec("a"), 10_000 * Millisecond));
    }

    [Fact]
    public void LimiterToken_KeepsOneBucketPerValue()
    {
        var limiter = new SeclRateLimiter();
        var rule = Rule("    every: 1m\n    limiter_token: [exec.file.name]\n");
        Assert.True(limiter.Allow(rule, Exec("a"), 0));
        Assert.True(limiter.Allow(rule, Exec("b"), 0));
        Assert.False(limiter.Allow(rule, Exec("a"), Millisecond));
    }

    [Fact]
    public void LimiterToken_UnknownField_IsARuleError()
    {
        var result = SeclPolicyLoader.Load(new SeclPolicySource("p.policy", SeclPolicySources.File,
            "rules:\n  - id: r\n    expression: exec.file.name != \"\"\n    limiter_token: [dns.question.name]\n"));
        Assert.Contains("invalid limiter_token", result.Rules.Single().Message, StringComparison.Ordinal);
    }
}
