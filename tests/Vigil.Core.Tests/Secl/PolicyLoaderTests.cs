using System.Diagnostics;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Policy;

namespace Vigil.Core.Tests.Secl;

public sealed class PolicyLoaderTests
{
    private static SeclLoadResult Load(params (string Name, string Yaml)[] policies) =>
        SeclPolicyLoader.Load([.. policies.Select(p => new SeclPolicySource(p.Name, SeclPolicySources.File, p.Yaml))]);

    private static SeclLoadResult Load(SeclAgentOptions options, params SeclPolicySource[] sources) => new SeclPolicyLoader(options).LoadAll(sources);

    private static SeclRuleReport Rule(SeclLoadResult result, string id) => result.Rules.Single(r => r.Id == id);

    private const string Good = """
        version: 1.0.0
        rules:
          - id: good
            expression: exec.file.name == "nc"
        """;

    [Fact]
    public void Load_MalformedYaml_ReportsThePolicyAndLoadsTheOthers()
    {
        var result = Load(("broken.policy", "rules: [ { id: x, expression: \"a\" "), ("good.policy", Good));
        Assert.Contains("invalid YAML", result.Policies.Single(p => p.Name == "broken.policy").Error, StringComparison.Ordinal);
        Assert.Equal(SeclRuleStatus.Loaded, Rule(result, "good").Status);
        Assert.Contains(result.Errors, e => e.StartsWith("error loading policy `broken.policy` from source `file`", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EmptyPolicy_IsAnError()
    {
        var result = Load(("empty.policy", "version: 1.0.0\n"));
        Assert.Equal("the policy is empty", result.Policies.Single().Error);
    }

    [Fact]
    public void Load_BadRules_EachGetsItsOwnErrorAndTheRestLoads()
    {
        var result = Load(("p.policy", """
            rules:
              - id: unknown_field
                expression: exec.file.nme == "x"
              - id: syntax
                expression: exec.file.name == "x" &&
              - id: regex_on_path
                expression: open.file.path =~ r"^/etc"
              - id: backreference_regex
                expression: exec.file.name =~ r"(a)\1"
              - id: no_expression
                description: nothing here
              - id: bad-id
                expression: exec.file.name == "x"
              - id: ok
                expression: exec.file.name == "ok"
            """));
        Assert.Equal(SeclRuleStatus.SyntaxError, Rule(result, "unknown_field").Status);
        Assert.Equal("rule compilation error: field `exec.file.nme` not found (1:1)", Rule(result, "unknown_field").Message);
        Assert.Equal("syntax error: 1:25: unexpected end of expression", Rule(result, "syntax").Message);
        Assert.Contains("regex is not allowed on path field", Rule(result, "regex_on_path").Message, StringComparison.Ordinal);
        Assert.Contains("invalid regex", Rule(result, "backreference_regex").Message, StringComparison.Ordinal);
        Assert.Equal((SeclRuleStatus.Error, "no expression defined"), (Rule(result, "no_expression").Status, Rule(result, "no_expression").Message));
        Assert.Equal(SeclRuleStatus.Error, Rule(result, "bad-id").Status);
        Assert.Equal(SeclRuleStatus.Loaded, Rule(result, "ok").Status);
        Assert.Single(result.RuleSet.Rules);
        Assert.Equal(6, result.Errors.Count());
    }

    [Fact]
    public void Load_EnormousList_FailsOnlyThatRule()
    {
        var values = string.Join(", ", Enumerable.Range(0, 150_000).Select(i => $"\"f{i}\""));
        var result = Load(("p.policy", $"rules:\n  - id: huge\n    expression: 'exec.file.name in [{values}]'\n  - id: ok\n    expression: exec.file.name == \"ok\"\n"));
        Assert.Contains("more than the limit", Rule(result, "huge").Message, StringComparison.Ordinal);
        Assert.Equal(SeclRuleStatus.Loaded, Rule(result, "ok").Status);
    }

    [Fact]
    public void Load_CatastrophicRegex_LoadsAndEvaluatesInLinearTime()
    {
        var result = Load(("p.policy", "rules:\n  - id: redos\n    expression: 'exec.file.name =~ r\"^(a+)+$\"'\n"));
        Assert.Equal(SeclRuleStatus.Loaded, Rule(result, "redos").Status);
        var evt = new SeclEvent("exec").SetValue("exec.file.name", new string('a', 50_000) + "!");
        var watch = Stopwatch.StartNew();
        Assert.Equal(0, result.RuleSet.Evaluate(evt, []));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(">= 7.60", SeclRuleStatus.Loaded)]
    [InlineData(">=7.65 <7.72", SeclRuleStatus.Loaded)]
    [InlineData(">= 7.71.0-rc.1", SeclRuleStatus.Loaded)]
    [InlineData("< 7.71", SeclRuleStatus.AgentVersionError)]
    [InlineData(">= 7.80", SeclRuleStatus.AgentVersionError)]
    [InlineData(">= 7.70.1, < 7.71.1", SeclRuleStatus.Loaded)]
    [InlineData(">= seven", SeclRuleStatus.Error)]
    public void Load_AgentVersionConstraint_ComparesWithTheDeclaredVersion(string constraint, SeclRuleStatus expected)
    {
        var result = Load(new SeclAgentOptions { AgentVersion = new Version(7, 71, 0) },
            new SeclPolicySource("p.policy", SeclPolicySources.File, $"rules:\n  - id: r\n    agent_version: \"{constraint}\"\n    expression: exec.file.name == \"x\"\n"));
        Assert.Equal(expected, Rule(result, "r").Status);
    }

    [Fact]
    public void Load_TwinRulesForAgentVersions_OnlyTheMatchingTwinLoads()
    {
        var yaml = """
            rules:
              - id: twin
                agent_version: "< 7.71"
                expression: exec.file.name == "old"
              - id: twin
                agent_version: ">= 7.71"
                expression: exec.file.name == "new"
            """;
        var result = Load(("p.policy", yaml));
        Assert.Equal([SeclRuleStatus.AgentVersionError, SeclRuleStatus.Loaded], result.Rules.Select(r => r.Status));
        Assert.Equal("exec.file.name == \"new\"", result.RuleSet.Rules.Single().Expression);
    }

    [Theory]
    [InlineData("kernel.version.major >= 5", true)]
    [InlineData("kernel.version.major >= 6", false)]
    [InlineData("kernel.version.major == 5 && kernel.version.minor < 16", true)]
    [InlineData("os == \"windows\"", false)]
    [InlineData("os.id == \"ubuntu\"", true)]
    [InlineData("os.is_debian", false)]
    public void Load_HostFilters_AreEvaluatedAgainstTheHost(string filter, bool loads)
    {
        var options = new SeclAgentOptions { Host = new SeclHostInfo { Os = "linux", OsId = "ubuntu", KernelMajor = 5, KernelMinor = 15 } };
        var result = Load(options, new SeclPolicySource("p.policy", SeclPolicySources.File, $"rules:\n  - id: r\n    filters: ['{filter}']\n    expression: exec.file.name == \"x\"\n"));
        Assert.Equal(loads ? SeclRuleStatus.Loaded : SeclRuleStatus.AgentFilterError, Rule(result, "r").Status);
    }

    [Fact]
    public void Load_DuplicateIdWithSameState_IsAConflict()
    {
        var result = Load(("a.policy", Good), ("b.policy", Good));
        Assert.Equal(SeclRuleStatus.Loaded, result.Rules[0].Status);
        Assert.Equal((SeclRuleStatus.Error, "definition ID conflict"), (result.Rules[1].Status, result.Rules[1].Message));
    }

    [Fact]
    public void Load_CustomPolicyDisablingADefaultRule_DisablesIt()
    {
        var result = Load(("default.policy", Good), ("custom.policy", "rules:\n  - id: good\n    disabled: true\n    expression: exec.file.name == \"nc\"\n"));
        Assert.Equal(SeclRuleStatus.Disabled, Rule(result, "good").Status);
        Assert.Empty(result.RuleSet.Rules);
    }

    [Fact]
    public void Load_CombineOverride_ReplacesTheExpressionOnly()
    {
        var result = Load(("default.policy", "rules:\n  - id: good\n    description: original\n    expression: exec.file.name == \"nc\"\n"),
            ("custom.policy", "rules:\n  - id: good\n    combine: override\n    description: ignored\n    expression: exec.file.name == \"ncat\"\n"));
        var rule = result.RuleSet.Rules.Single();
        Assert.Equal(("exec.file.name == \"ncat\"", "original"), (rule.Expression, rule.Description));
    }

    [Fact]
    public void Load_RemoteConfigDefault_WinsOverTheLocalDefault()
    {
        var result = SeclPolicyLoader.Load(
            new SeclPolicySource("default.policy", SeclPolicySources.File, Good),
            new SeclPolicySource("default.policy", SeclPolicySources.RemoteConfig, Good.Replace("\"nc\"", "\"rc\"", StringComparison.Ordinal)));
        Assert.Equal("exec.file.name == \"rc\"", result.RuleSet.Rules.Single().Expression);
        Assert.Contains(result.Policies, p => p.Source == SeclPolicySources.File && p.Error!.StartsWith("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MacroMergeAndOverride_FollowDatadog()
    {
        var result = Load(("a.policy", """
            macros:
              - id: tools
                values: ["nc"]
              - id: expr
                expression: '["a"]'
            rules:
              - id: r
                expression: exec.file.name in tools
            """), ("b.policy", """
            macros:
              - id: tools
                combine: merge
                values: ["ncat"]
              - id: expr
                combine: merge
                expression: '["b"]'
              - id: expr
                expression: '["c"]'
            """));
        var rule = result.RuleSet.Rules.Single();
        Assert.Equal(1, result.RuleSet.Evaluate(new SeclEvent("exec").SetValue("exec.file.name", "ncat"), []));
        Assert.Equal(1, result.RuleSet.Evaluate(new SeclEvent("exec").SetValue("exec.file.name", "nc"), []));
        Assert.Equal("r", rule.Id);
        Assert.Contains(result.Macros, m => m.Id == "expr" && m.Message == "macros with an expression cannot be merged");
        Assert.Contains(result.Macros, m => m.Id == "expr" && m.Message == "definition ID conflict");
    }

    [Fact]
    public void Load_InvalidActions_AreReportedPerRule()
    {
        var yaml = """
            rules:
              - id: bad_scope
                expression: exec.file.name == "x"
                actions:
                  - set: { name: v, value: 1, scope: galaxy }
              - id: bad_signal
                expression: exec.file.name == "x"
                actions:
                  - kill: { signal: SIGNOPE }
              - id: two_kinds
                expression: exec.file.name == "x"
                actions:
                  - set: { name: v, value: 1 }
                    log: { level: info }
              - id: hash_without_file
                expression: dns.question.name == "x"
                actions:
                  - hash: {}
              - id: bad_every
                expression: exec.file.name == "x"
                every: soon
              - id: good_actions
                expression: exec.file.name == "x"
                every: 10s
                actions:
                  - kill: { signal: SIGKILL }
                  - hash: {}
                  - log: { level: warning, message: hi }
            """;
        var result = Load(("p.policy", yaml));
        Assert.Contains("invalid scope", Rule(result, "bad_scope").Message, StringComparison.Ordinal);
        Assert.Contains("unknown signal", Rule(result, "bad_signal").Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of", Rule(result, "two_kinds").Message, StringComparison.Ordinal);
        Assert.Contains("`field` is required", Rule(result, "hash_without_file").Message, StringComparison.Ordinal);
        Assert.Contains("invalid `every`", Rule(result, "bad_every").Message, StringComparison.Ordinal);
        var good = result.RuleSet.Rules.Single();
        Assert.Equal((TimeSpan.FromSeconds(10), 3), (good.Every, good.OtherActions.Count));
    }

    [Fact]
    public void Load_KillWithoutEnforcement_IsRejected()
    {
        var result = Load(new SeclAgentOptions { EnforcementEnabled = false },
            new SeclPolicySource("p.policy", SeclPolicySources.File, "rules:\n  - id: k\n    expression: exec.file.name == \"x\"\n    actions:\n      - kill: { signal: SIGKILL }\n"));
        Assert.Contains("enforcement is disabled", Rule(result, "k").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DisabledEventType_IsReported()
    {
        var result = Load(new SeclAgentOptions { DisabledEventTypes = new HashSet<string> { "dns" } },
            new SeclPolicySource("p.policy", SeclPolicySources.File, "rules:\n  - id: d\n    expression: dns.question.name == \"x\"\n"));
        Assert.Equal(SeclRuleStatus.EventTypeDisabled, Rule(result, "d").Status);
    }
}

public sealed class FimExpansionTests
{
    private static SeclLoadResult Load(string expression) => SeclPolicyLoader.Load(new SeclPolicySource("p.policy", SeclPolicySources.File,
        $"rules:\n  - id: fim\n    expression: '{expression}'\n"));

    [Fact]
    public void FimRule_ExpandsToEveryFileWritingEventType()
    {
        var result = Load("fim.write.file.path == \"/etc/passwd\" && process.file.name != \"vipw\"");
        var report = Assert.Single(result.Rules);
        Assert.Equal((SeclRuleStatus.Loaded, "open,chmod,chown,link,rename,unlink,utimes"), (report.Status, report.EventType));
        Assert.Equal(7, result.RuleSet.Rules.Count);
        Assert.All(result.RuleSet.Rules, r => Assert.Equal("fim", r.Id));
    }

    [Theory]
    [InlineData("open", "O_WRONLY", true)]
    [InlineData("open", "O_RDONLY", false)]
    [InlineData("chmod", null, true)]
    [InlineData("unlink", null, true)]
    public void FimRule_MatchesWritesOnly(string eventType, string? flags, bool expected)
    {
        var rules = Load("fim.write.file.path == \"/etc/passwd\"").RuleSet;
        var evt = new SeclEvent(eventType).SetValue($"{eventType}.file.path", "/etc/passwd");
        if (flags is not null) evt.SetValue("open.flags", flags);
        Assert.Equal(expected, rules.Evaluate(evt, []) == 1);
    }

    [Fact]
    public void FimRule_OnRename_ChecksTheDestinationToo()
    {
        var rules = Load("fim.write.file.path == \"/etc/passwd\"").RuleSet;
        Assert.Equal(1, rules.Evaluate(new SeclEvent("rename").SetValue("rename.file.path", "/tmp/x").SetValue("rename.file.destination.path", "/etc/passwd"), []));
        Assert.Equal(0, rules.Evaluate(new SeclEvent("rename").SetValue("rename.file.path", "/tmp/x").SetValue("rename.file.destination.path", "/tmp/y"), []));
    }

    [Fact]
    public void FimRule_MixedWithAnotherEventType_IsRejected()
    {
        var report = Assert.Single(Load("fim.write.file.path == \"/x\" && exec.file.name == \"y\"").Rules);
        Assert.Equal((SeclRuleStatus.SyntaxError, "multiple event categories in the same rule expansion"), (report.Status, report.Message));
    }
}
