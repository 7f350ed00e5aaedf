using Vigil.Core.Secl.Policy;
using YamlDotNet.RepresentationModel;

namespace Vigil.Core.Tests.Secl;

/// <summary>The shared Datadog default policy v1.29.0 must load on Linux exactly as Datadog's agent loads it.</summary>
public sealed class DefaultPolicyLoadTests
{
    private const string PolicyFile = "datadog-default-policy-1.29.0.policy";

    internal static SeclLoadResult LoadDefaultPolicy() =>
        SeclPolicyLoader.Load(new SeclPolicySource("default.policy", SeclPolicySources.File, SharedTestData.Read(PolicyFile)));

    /// <summary>Expected outcome read independently from the YAML: Linux-filtered rules load, others are filtered out.</summary>
    private static Dictionary<string, SeclRuleStatus> ExpectedOutcomes()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(SharedTestData.Read(PolicyFile));
        yaml.Load(reader);
        var rules = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("rules")];
        var expected = new Dictionary<string, SeclRuleStatus>();
        foreach (YamlMappingNode rule in rules)
        {
            var id = ((YamlScalarNode)rule.Children[new YamlScalarNode("id")]).Value!;
            var filters = ((YamlSequenceNode)rule.Children[new YamlScalarNode("filters")]).Select(f => ((YamlScalarNode)f).Value).ToList();
            expected[id] = filters.Contains("os == \"linux\"") ? SeclRuleStatus.Loaded : SeclRuleStatus.AgentFilterError;
        }
        return expected;
    }

    [Fact]
    public void DefaultPolicy_OnLinux_EveryRuleHasTheExpectedOutcome()
    {
        var result = LoadDefaultPolicy();
        var expected = ExpectedOutcomes();
        Assert.Equal(expected.Count, result.Rules.Count);
        var wrong = result.Rules.Where(r => expected[r.Id] != r.Status).Select(r => $"{r.Id}: {r.Status} {r.Message}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void DefaultPolicy_OnLinux_Loads163RulesAndFilters37WindowsRules()
    {
        var result = LoadDefaultPolicy();
        Assert.Equal(163, result.Rules.Count(r => r.Status == SeclRuleStatus.Loaded));
        Assert.Equal(37, result.Rules.Count(r => r.Status == SeclRuleStatus.AgentFilterError));
        Assert.Equal(163, result.RuleSet.Rules.Count);
        Assert.Empty(result.Errors);
        Assert.Equal("1.29.0", result.Policies.Single().Version);
    }

    [Fact]
    public void DefaultPolicy_OnWindowsHost_FiltersOutEveryLinuxRule()
    {
        var loader = new SeclPolicyLoader(new SeclAgentOptions { Host = new SeclHostInfo { Os = "windows" } });
        var result = loader.LoadAll([new SeclPolicySource("default.policy", SeclPolicySources.File, SharedTestData.Read(PolicyFile))]);
        var expected = ExpectedOutcomes();
        Assert.All(result.Rules.Where(r => expected[r.Id] == SeclRuleStatus.Loaded), r => Assert.Equal(SeclRuleStatus.AgentFilterError, r.Status));
        // Windows rules pass their filter; those using Windows-only fields (registry, cmdline) fail to bind on this Linux model.
        Assert.All(result.Rules.Where(r => expected[r.Id] != SeclRuleStatus.Loaded), r => Assert.NotEqual(SeclRuleStatus.AgentFilterError, r.Status));
        Assert.Contains(result.Rules, r => r.Status == SeclRuleStatus.SyntaxError && r.Message!.Contains("not found", StringComparison.Ordinal));
    }
}
