using Vigil.Agent.Protection;
using Vigil.Core.Secl.Policy;

namespace Vigil.Agent.Tests.Protection;

/// <summary>Which mechanism each kind of rule gets, and the argv substrings the kernel pre-selects by.</summary>
public sealed class ProtectionPlanTests
{
    private static IReadOnlyList<ProtectedRule> Plan(string rules, bool kernel = true, bool fanotify = true)
    {
        var loaded = new SeclPolicyLoader(new SeclAgentOptions()).LoadAll([
            new SeclPolicySource("p.policy", SeclPolicySources.File, "macros:\n  - id: miners\n    values: [\"xmrig\", \"minerd\"]\nrules:\n" + rules)]);
        Assert.Empty(loaded.Errors);
        return ProtectionPlanner.Plan(loaded.RuleSet.Rules, kernel, fanotify);
    }

    private static string Rule(string expression, string action = "kill: { signal: SIGKILL }") =>
        $"  - id: r\n    expression: '{expression}'\n    actions:\n      - {action}\n";

    [Fact]
    public void NameOnlyKillRule_IsKilledInTheKernel_ForTheNamesTheRuleAccepts()
    {
        var rule = Assert.Single(Plan(Rule("exec.file.name in miners && exec.file.name != \"minerd\"")));
        Assert.Equal(ProtectionMechanism.EbpfKill, rule.Mechanism);
        Assert.Equal(["xmrig"], rule.Names.Order());
    }

    [Fact]
    public void NameAndOtherFieldRule_IsHeldByName()
    {
        var rule = Assert.Single(Plan(Rule("exec.file.name in miners && process.uid == 0")));
        Assert.Equal(ProtectionMechanism.Hold, rule.Mechanism);
        Assert.Equal(["minerd", "xmrig"], rule.Names.Order());
    }

    [Fact]
    public void NameAndArgvRule_IsHeldByTheMoreSelectiveArgvValue()
    {
        var rule = Assert.Single(Plan(Rule("exec.file.name in miners && exec.argv in [\"--donate-level\"]")));
        Assert.Equal(ProtectionMechanism.Hold, rule.Mechanism);
        Assert.Equal(["--donate-level"], rule.Needles);
    }

    [Fact]
    public void ArgvRule_IsHeldByItsNeedles()
    {
        var rule = Assert.Single(Plan(Rule("exec.args in [~\"*stratum+tcp://*\", ~\"*stratum+ssl://*\"] && exec.file.name not in [\"grep\"]")));
        Assert.Equal(ProtectionMechanism.Hold, rule.Mechanism);
        Assert.Equal(["stratum+tcp://", "stratum+ssl://"], rule.Needles);
    }

    [Fact]
    public void ArgvRuleOnAMacro_IsHeldByTheMacroValues()
    {
        // The syntax alone cannot see through the macro; the binder's approver can.
        Assert.Null(ArgvNeedles.Find("exec.argv in miners && process.uid != 0"));
        var rule = Assert.Single(Plan(Rule("exec.argv in miners && process.uid != 0")));
        Assert.Equal(ProtectionMechanism.Hold, rule.Mechanism);
        Assert.Equal(["minerd", "xmrig"], rule.Needles.Order());
        var byName = Assert.Single(Plan(Rule("exec.file.name in [\"pkill\", \"killall\"] && exec.argv in miners")));
        Assert.Equal((ProtectionMechanism.Hold, 2), (byName.Mechanism, byName.Names.Count + byName.Needles.Count));
    }

    [Theory]
    [InlineData("exec.file.name == \"xmrig\"", "kill: { signal: SIGTERM }", ProtectionMechanism.Hold)] // not SIGKILL: user space signals after the hold
    [InlineData("exec.envs in [\"MINER\"]", "kill: { signal: SIGKILL }", ProtectionMechanism.UserSpace)] // env is not pre-selected in the kernel
    [InlineData("exec.args not in [~\"*stratum*\"]", "kill: { signal: SIGKILL }", ProtectionMechanism.UserSpace)] // a negation selects nothing
    [InlineData("dns.question.name == \"pool.example\"", "kill: { signal: SIGKILL }", ProtectionMechanism.UserSpace)]
    [InlineData("exec.file.path == \"/tmp/xmrig\"", "block: {}", ProtectionMechanism.FanotifyBlock)]
    public void OtherRules_GetTheMechanismThatCanServeThem(string expression, string action, ProtectionMechanism expected) =>
        Assert.Equal(expected, Assert.Single(Plan(Rule(expression, action))).Mechanism);

    [Fact]
    public void WithoutKernelParts_EverythingFallsBackToUserSpace()
    {
        var plan = Plan(Rule("exec.file.name in miners") + Rule("exec.file.name == \"x\"", "block: {}").Replace("id: r", "id: b", StringComparison.Ordinal), kernel: false, fanotify: false);
        Assert.All(plan, p => Assert.Equal(ProtectionMechanism.UserSpace, p.Mechanism));
    }

    [Theory]
    [InlineData("exec.args =~ \"*-o stratum+tcp://*\"", "stratum+tcp://")]                 // spaces split: argv is NUL-separated in memory
    [InlineData("exec.argv in [\"--donate-level\"] || exec.args in [~\"*--rig-id*\"]", "--donate-level,--rig-id")]
    [InlineData("exec.argv in [\"ab\"]", null)]                                             // too short to select anything
    [InlineData("exec.args in [r\".*stratum.*\"]", null)]                                  // regex: no literal taken
    [InlineData("exec.argv in [\"a-very-long-argument-of-more-than-thirty-two-bytes\"]", "a-very-long-argument-of-more-tha")]
    public void ArgvNeedles_AreSubstringsEveryMatchContains(string expression, string? expected) =>
        Assert.Equal(expected, ArgvNeedles.Find(expression) is { } needles ? string.Join(",", needles) : null);
}
