using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Policy;

namespace Vigil.Core.Tests.Secl;

/// <summary>Conformance of the protection actions: Datadog's <c>kill</c> and Vigil's <c>block</c> extension, valid and invalid.</summary>
public sealed class SeclProtectionActionTests
{
    private static SeclLoadResult Load(string rules, bool enforcement = true) =>
        new SeclPolicyLoader(new SeclAgentOptions { EnforcementEnabled = enforcement })
            .LoadAll([new SeclPolicySource("p.policy", SeclPolicySources.File, "macros:\n  - id: miners\n    values: [\"xmrig\", \"minerd\"]\nrules:\n" + rules)]);

    private static SeclRuleReport Report(SeclLoadResult result, string id) => result.Rules.Single(r => r.Id == id);

    private static SeclRule Loaded(SeclLoadResult result, string id) => result.RuleSet.Rules.Single(r => r.Id == id);

    [Theory]
    [InlineData("SIGKILL", null, "process")]
    [InlineData("SIGTERM", "process", "process")]
    [InlineData("SIGKILL", "container", "container")]
    [InlineData("SIGUSR1", "cgroup", "cgroup")]
    public void Kill_WithKnownSignalAndScope_Loads(string signal, string? scope, string expectedScope)
    {
        var scopeLine = scope is null ? "" : $", scope: {scope}";
        var result = Load($"  - id: k\n    expression: exec.file.name in miners\n    actions:\n      - kill: {{ signal: {signal}{scopeLine} }}\n");
        Assert.Empty(result.Errors);
        var action = Assert.Single(Loaded(result, "k").OtherActions);
        Assert.Equal(("kill", signal, expectedScope), (action.Kind, action.Parameters["signal"], action.Parameters["scope"]));
    }

    [Theory]
    [InlineData("kill: { signal: SIGNOPE }", "unknown signal `SIGNOPE`")]
    [InlineData("kill: { scope: process }", "unknown signal")]
    [InlineData("kill: { signal: SIGKILL, scope: pod }", "invalid scope `pod`")]
    [InlineData("kill: { signal: SIGKILL }\n        block: {}", "exactly one of set, kill, block")]
    public void Kill_Invalid_IsRejectedWithTheReason(string action, string message)
    {
        var result = Load($"  - id: k\n    expression: exec.file.name == \"xmrig\"\n    actions:\n      - {action}\n");
        Assert.Equal(SeclRuleStatus.Error, Report(result, "k").Status);
        Assert.Contains(message, Report(result, "k").Message, StringComparison.Ordinal);
        Assert.Empty(result.RuleSet.Rules);
    }

    [Theory]
    [InlineData("exec.file.name in miners")]
    [InlineData("exec.file.path =~ \"/tmp/**\" && exec.file.name == \"xmrig\"")]
    [InlineData("exec.file.inode == 1234 || process.file.name == \"minerd\"")]
    public void Block_OnTheExecutableOnly_Loads(string expression)
    {
        var result = Load($"  - id: b\n    expression: '{expression}'\n    actions:\n      - block: {{}}\n");
        Assert.Empty(result.Errors);
        var action = Assert.Single(Loaded(result, "b").OtherActions);
        Assert.Equal("block", action.Kind);
    }

    [Theory]
    [InlineData("exec.args in [~\"*stratum+tcp://*\"]", "not `exec.args`")]
    [InlineData("exec.file.name == \"xmrig\" && process.parent.file.name == \"bash\"", "not `process.parent.file.name`")]
    [InlineData("open.file.name == \"xmrig\"", "only exec rules can block (this rule is `open`)")]
    [InlineData("dns.question.name == \"pool.example\"", "only exec rules can block")]
    public void Block_OnMoreThanTheExecutable_IsRejectedWithTheReason(string expression, string message)
    {
        var result = Load($"  - id: b\n    expression: '{expression}'\n    actions:\n      - block: {{}}\n");
        Assert.Equal(SeclRuleStatus.Error, Report(result, "b").Status);
        Assert.Contains(message, Report(result, "b").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kill: { signal: SIGKILL }")]
    [InlineData("block: {}")]
    public void ProtectionActions_WithEnforcementDisabled_AreRejected(string action)
    {
        var result = Load($"  - id: p\n    expression: exec.file.name == \"xmrig\"\n    actions:\n      - {action}\n", enforcement: false);
        Assert.Contains("enforcement is disabled", Report(result, "p").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameRule_WithoutAction_IsMonitoring_AndWithKill_IsBlocking()
    {
        var monitoring = Load("  - id: m\n    expression: exec.file.name in miners\n");
        var blocking = Load("  - id: m\n    expression: exec.file.name in miners\n    actions:\n      - kill: { signal: SIGKILL }\n");
        Assert.Empty(Loaded(monitoring, "m").OtherActions);
        Assert.Equal("kill", Assert.Single(Loaded(blocking, "m").OtherActions).Kind);
        Assert.Equal(Loaded(monitoring, "m").Expression, Loaded(blocking, "m").Expression);
    }
}
