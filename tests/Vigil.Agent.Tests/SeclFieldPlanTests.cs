using Vigil.Agent.Rules;
using Vigil.Core.Secl.Model;

namespace Vigil.Agent.Tests;

/// <summary>The event builder fills only what the rules read: the plan must include every field a rule can reach.</summary>
public sealed class SeclFieldPlanTests
{
    private static SeclFieldPlan PlanFor(string rules)
    {
        var path = Path.Combine(Path.GetTempPath(), $"plan-{Guid.NewGuid():N}.policy");
        File.WriteAllText(path, rules);
        try
        {
            var host = RuleHost.Load([path]);
            Assert.Empty(host.Loaded.Errors);
            return SeclFieldPlan.For(host.RuleSet.Rules);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void For_ARule_WantsItsFieldsTheSourcesOfDerivedOnesAndNothingElse()
    {
        var plan = PlanFor("""
            rules:
              - id: r
                expression: exec.file.name == "x" && process.ancestors.length > 2 && process.args =~ "*-e*"
            """);

        Assert.True(plan.Wants("exec.file.name"));
        Assert.True(plan.Wants("process.argv")); // process.args is computed from it
        Assert.True(plan.Wants("process.ancestors.pid")); // the length of an iterator needs its elements
        Assert.False(plan.Wants("process.envp"));
        Assert.False(plan.Wants("process.parent.file.path"));
    }

    [Fact]
    public void For_RulesWithSetActions_WantsWhatTheVariableStoreKeysOn()
    {
        var plan = PlanFor("""
            rules:
              - id: r
                expression: exec.file.name == "x"
                actions:
                  - set:
                      name: seen
                      value: true
                      scope: process
            """);

        Assert.True(plan.Wants("process.pid"));
        Assert.True(plan.Wants("process.ancestors.pid"));
    }

    [Fact]
    public void ProcessFields_NameFieldsOfTheCatalog_OnePerBuilderField()
    {
        Assert.Equal(Enum.GetValues<ProcessField>().Length, ProcessFields.Suffixes.Length);
        foreach (var suffix in ProcessFields.Suffixes)
            Assert.True(SeclFieldCatalog.Linux.TryGetField($"process.ancestors.{suffix}", out _), suffix);
    }
}
