using Vigil.Core.Secl.Policy;

namespace Vigil.Core.Tests.Secl;

public sealed class SeclPolicyToolTests
{
    [Fact]
    public void CheckThenEvaluate_DefaultPolicyAndAJsonEvent_ExplainsTheMatch()
    {
        var loaded = SeclPolicyTool.Check([SharedTestData.PathOf("datadog-default-policy-1.29.0.policy")]);
        Assert.Equal(163, loaded.RuleSet.Rules.Count);
        const string json = """{"evt":{"name":"exec"},"process":{"comm":"whoami","executable":{"path":"/usr/bin/whoami","name":"whoami"}}}""";
        var explanation = Assert.Single(SeclPolicyTool.Evaluate(loaded, json));
        Assert.Equal("exec_whoami", explanation.Rule.Id);
        Assert.Equal("exec.comm == \"whoami\"", Assert.Single(explanation.MatchingSubExpressions).Expression);
    }
}
