using Vigil.Core.Secl.Policy;

namespace Vigil.Content.Tests;

/// <summary>
/// Our catalogue must load next to Datadog's default policy (a user may deploy both): no rule or macro id of
/// ours may clash with theirs. Datadog's policy is in tests/testdata/datadog.
/// </summary>
public sealed class DatadogCoexistenceTests
{
    private static string DatadogDefaultPolicy()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln"))) directory = directory.Parent;
        Assert.True(directory?.Parent is not null, "Platform.sln not found above " + AppContext.BaseDirectory);
        return File.ReadAllText(Path.Combine(directory.FullName, "tests", "testdata", "datadog", "datadog-default-policy-1.29.0.policy"));
    }

    [Fact]
    public void Catalogue_WithDatadogDefaultPolicy_LoadsWithoutIdConflicts()
    {
        var sources = Catalogue.Content.Policies.Append(new SeclPolicySource("default.policy", SeclPolicySources.File, DatadogDefaultPolicy()));
        var loaded = new SeclPolicyLoader(new SeclAgentOptions()).LoadAll(sources);

        Assert.DoesNotContain(loaded.Errors, e => e.Contains("conflict", StringComparison.Ordinal));
        var ours = Catalogue.Content.AgentRules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(loaded.Rules.Where(r => ours.Contains(r.Id)), r => Assert.Equal(SeclRuleStatus.Loaded, r.Status));
        Assert.Equal(ours.Count, loaded.Rules.Count(r => ours.Contains(r.Id)));
    }
}
