using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Policy;

namespace Vigil.Core.Tests.Secl;

public sealed class SeclVariableActionTests
{
    private const string Policy = """
        rules:
          - id: mark
            expression: exec.file.name == "curl"
            actions:
              - set: { name: tagged, value: "yes", scope: process }
          - id: seen_before
            expression: exec.file.name == "wget" && ${process.tagged} == "yes"
          - id: remember_args
            expression: exec.file.name == "sh" && exec.args not in ${cgroup.args}
            actions:
              - set: { name: args, field: exec.args, append: true, size: 2, scope: cgroup, ttl: 1h }
          - id: count_up
            expression: exec.file.name == "id"
            actions:
              - set: { name: hits, value: 3, scope: container }
          - id: threshold
            expression: exec.file.name == "whoami" && ${container.hits} >= 3
          - id: correlation
            expression: exec.file.name == "env" && "${process.pid}" != ""
          - id: count_credentials
            expression: exec.file.name == "cat"
            actions:
              - set: { name: creds, expression: "${cgroup.creds} + 1", default_value: 0, scope: cgroup }
          - id: bulk_credentials
            expression: exec.file.name == "tac" && ${cgroup.creds} >= 3
          - id: correlation_key
            expression: exec.file.name == "sshd"
            actions:
              - set: { name: key, expression: "\"session_${process.pid}\"", default_value: "", scope: process }
          - id: correlated
            expression: exec.file.name == "su" && ${process.key} == "session_9"
        """;

    private static readonly long Hour = 3600 * SeclFixtures.Second;

    private static SeclEvent Exec(string name, long pid, string args = "", string cgroup = "g1", long time = SeclFixtures.Now) =>
        new SeclEvent("exec") { TimestampNanoseconds = time }
            .SetValue("exec.file.name", name).SetValue("exec.argv", args.Length == 0 ? Array.Empty<string>() : args.Split(' '))
            .SetValue("process.pid", pid).SetValue("process.cgroup.id", cgroup).SetValue("process.container.id", cgroup);

    private static string[] Matches(SeclRuleSet rules, SeclEvent evt)
    {
        var matches = new List<SeclRuleMatch>();
        rules.Evaluate(evt, matches);
        return [.. matches.Select(m => m.Rule.Id)];
    }

    private static SeclRuleSet Load()
    {
        var result = SeclPolicyLoader.Load(new SeclPolicySource("p.policy", SeclPolicySources.File, Policy));
        Assert.Empty(result.Errors);
        return result.RuleSet;
    }

    [Fact]
    public void ProcessScopedVariable_IsVisibleOnlyToTheSameProcess()
    {
        var rules = Load();
        Assert.Empty(Matches(rules, Exec("wget", 10)));
        Assert.Equal(["mark"], Matches(rules, Exec("curl", 10)));
        Assert.Equal(["seen_before"], Matches(rules, Exec("wget", 10)));
        Assert.Empty(Matches(rules, Exec("wget", 11)));
    }

    [Fact]
    public void AppendedListVariable_RemembersValuesPerCgroupUntilTheTtl()
    {
        var rules = Load();
        Assert.Equal(["remember_args"], Matches(rules, Exec("sh", 1, "-c a")));
        Assert.Empty(Matches(rules, Exec("sh", 2, "-c a")));
        Assert.Equal(["remember_args"], Matches(rules, Exec("sh", 2, "-c a", cgroup: "g2")));
        Assert.Equal(["remember_args"], Matches(rules, Exec("sh", 3, "-c a", time: SeclFixtures.Now + 2 * Hour)));
    }

    [Fact]
    public void AppendedListVariable_KeepsAtMostSizeValues()
    {
        var rules = Load();
        Assert.Equal(["remember_args"], Matches(rules, Exec("sh", 1, "a")));
        Assert.Equal(["remember_args"], Matches(rules, Exec("sh", 1, "b")));
        Assert.Equal(["remember_args"], Matches(rules, Exec("sh", 1, "c")));
        Assert.Empty(Matches(rules, Exec("sh", 1, "c")));
        Assert.Equal(["remember_args"], Matches(rules, Exec("sh", 1, "a")));
    }

    [Fact]
    public void ContainerScopedIntVariable_FeedsAThresholdRule()
    {
        var rules = Load();
        Assert.Empty(Matches(rules, Exec("whoami", 1)));
        Assert.Equal(["count_up"], Matches(rules, Exec("id", 1)));
        Assert.Equal(["threshold"], Matches(rules, Exec("whoami", 5)));
        Assert.Empty(Matches(rules, Exec("whoami", 5, cgroup: "other")));
    }

    [Fact]
    public void SetExpression_IncrementsACounterUntilAThresholdRuleFires()
    {
        var rules = Load();
        Assert.Equal(["count_credentials"], Matches(rules, Exec("cat", 1)));
        Assert.Equal(["count_credentials"], Matches(rules, Exec("cat", 2)));
        Assert.Empty(Matches(rules, Exec("tac", 3)));
        Assert.Equal(["count_credentials"], Matches(rules, Exec("cat", 4)));
        Assert.Equal(["bulk_credentials"], Matches(rules, Exec("tac", 3)));
    }

    [Fact]
    public void SetExpression_InterpolatedString_IsStoredPerProcess()
    {
        var rules = Load();
        Assert.Equal(["correlation_key"], Matches(rules, Exec("sshd", 9)));
        Assert.Equal(["correlated"], Matches(rules, Exec("su", 9)));
        Assert.Empty(Matches(rules, Exec("su", 10)));
    }

    [Fact]
    public void SetExpression_Invalid_IsAPerRuleError()
    {
        var result = SeclPolicyLoader.Load(new SeclPolicySource("p.policy", SeclPolicySources.File,
            "rules:\n  - id: bad\n    expression: exec.file.name == \"x\"\n    actions:\n      - set: { name: n, expression: \"${nope} +\", default_value: 0 }\n  - id: ok\n    expression: exec.file.name == \"y\"\n"));
        Assert.Contains("invalid expression", result.Rules.Single(r => r.Id == "bad").Message, StringComparison.Ordinal);
        Assert.Equal(SeclRuleStatus.Loaded, result.Rules.Single(r => r.Id == "ok").Status);
    }

    [Fact]
    public void InheritedProcessVariable_IsVisibleToDescendants()
    {
        var result = SeclPolicyLoader.Load(new SeclPolicySource("p.policy", SeclPolicySources.File, """
            rules:
              - id: mark_session
                expression: exec.file.name == "sshd"
                actions:
                  - set: { name: session, value: "s1", scope: process, inherited: true }
              - id: in_session
                expression: exec.file.name == "id" && ${process.session} == "s1"
            """));
        Assert.Empty(result.Errors);
        var rules = result.RuleSet;
        Assert.Equal(["mark_session"], Matches(rules, Exec("sshd", 100)));
        var child = Exec("id", 200).SetValue("process.ppid", 150L);
        child.AddElement("process.ancestors").SetValue("process.ancestors.pid", 150L);
        child.AddElement("process.ancestors").SetValue("process.ancestors.pid", 100L);
        Assert.Equal(["in_session"], Matches(rules, child));
        Assert.Empty(Matches(rules, Exec("id", 300).SetValue("process.ppid", 1L)));
    }

    [Fact]
    public void ScopeField_KeysTheVariableByAnotherPid()
    {
        var result = SeclPolicyLoader.Load(new SeclPolicySource("p.policy", SeclPolicySources.File, """
            rules:
              - id: moved
                expression: cgroup_write.file.path != ""
                actions:
                  - set: { name: moved, value: true, scope: process, scope_field: cgroup_write.pid }
              - id: moved_process_runs
                expression: exec.file.name != "" && ${process.moved} == true
              - id: bad_scope_field
                expression: cgroup_write.file.path != ""
                actions:
                  - set: { name: x, value: 1, scope: process, scope_field: cgroup_write.file.path }
            """));
        Assert.Contains("scope_field", result.Rules.Single(r => r.Id == "bad_scope_field").Message, StringComparison.Ordinal);
        var rules = result.RuleSet;
        Assert.Equal(["moved"], Matches(rules, new SeclEvent("cgroup_write").SetValue("cgroup_write.file.path", "/sys/fs/cgroup/x/cgroup.procs").SetValue("cgroup_write.pid", 4242L).SetValue("process.pid", 1L)));
        Assert.Equal(["moved_process_runs"], Matches(rules, Exec("ls", 4242)));
        Assert.Empty(Matches(rules, Exec("ls", 1)));
    }

    [Fact]
    public void BuiltinVariable_InterpolatesInsideAString()
    {
        Assert.Equal(["correlation"], Matches(Load(), Exec("env", 77)));
    }
}
