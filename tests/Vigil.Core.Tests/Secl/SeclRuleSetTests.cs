using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Tests.Secl;

public sealed class SeclRuleSetTests
{
    private static readonly Lazy<SeclRuleSet> DefaultRules = new(() => DefaultPolicyLoadTests.LoadDefaultPolicy().RuleSet);

    private static List<SeclEvent> BenignEvents() =>
    [
        new SeclEvent("exec").SetValue("exec.file.path", "/usr/bin/ls").SetValue("exec.file.name", "ls").SetValue("exec.comm", "ls")
            .SetValue("exec.argv", new[] { "-la" }).SetValue("process.file.path", "/usr/bin/ls").SetValue("process.parent.file.name", "bash"),
        new SeclEvent("open").SetValue("open.file.path", "/usr/lib/x86_64-linux-gnu/libz.so.1").SetValue("open.file.name", "libz.so.1")
            .SetValue("open.flags", "O_RDONLY").SetValue("process.file.path", "/usr/bin/python3"),
        new SeclEvent("dns").SetValue("dns.question.name", "api.github.com").SetValue("process.file.name", "git"),
        new SeclEvent("unlink").SetValue("unlink.file.path", "/tmp/tmp.x1").SetValue("unlink.file.name", "tmp.x1"),
        new SeclEvent("connect").SetValue("connect.addr.ip", "10.0.0.1").SetValue("connect.addr.port", 443L),
    ];

    [Fact]
    public void Evaluate_NonMatchingEvents_AllocatesNothing()
    {
        var rules = DefaultRules.Value;
        var events = BenignEvents();
        var matches = new List<SeclRuleMatch>(16);
        for (var i = 0; i < 200; i++) foreach (var evt in events) rules.Evaluate(evt, matches); // warm-up, derived-field caches
        Assert.Empty(matches);

        var allocated = SteadyStateAllocation.Measure(() =>
        {
            for (var i = 0; i < 1000; i++) foreach (var evt in events) rules.Evaluate(evt, matches);
        });

        Assert.Empty(matches);
        Assert.Equal(0, allocated);
    }

    /// <summary>As a fresh event from the agent: computed fields dropped before each evaluation, ancestors included.</summary>
    [Fact]
    public void Evaluate_FreshNonMatchingEventsWithAncestors_AllocatesNothing()
    {
        var rules = DefaultRules.Value;
        var events = BenignEvents();
        foreach (var evt in events) evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", "bash");
        var matches = new List<SeclRuleMatch>(16);
        for (var i = 0; i < 200; i++) foreach (var evt in events) { evt.ClearAllDerived(); rules.Evaluate(evt, matches); }
        Assert.Empty(matches);

        var allocated = SteadyStateAllocation.Measure(() =>
        {
            for (var i = 0; i < 1000; i++) foreach (var evt in events) { evt.ClearAllDerived(); rules.Evaluate(evt, matches); }
        });

        Assert.Empty(matches);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Index_DefaultPolicy_MostRulesHaveAnApprover()
    {
        var rules = DefaultRules.Value;
        Assert.True(rules.UnindexedRuleCount <= rules.Rules.Count / 8, $"{rules.UnindexedRuleCount} of {rules.Rules.Count} rules are tested on every event");
    }

    [Fact]
    public void Evaluate_IndexedAndNaive_AgreeOnTheFixtures()
    {
        var rules = DefaultRules.Value;
        foreach (var evt in BenignEvents().Concat(new[] { "exec", "open", "dns", "connect" }.Select(SeclFixtures.Create)))
        {
            var indexed = new List<SeclRuleMatch>();
            var naive = new List<SeclRuleMatch>();
            rules.Evaluate(evt, indexed);
            rules.EvaluateNaive(evt, naive);
            Assert.Equal(naive.Select(m => m.Rule.Id), indexed.Select(m => m.Rule.Id));
        }
    }

    [Theory]
    [InlineData("open.file.rights & S_IXUSR > 0", true)]
    [InlineData("open.file.rights & S_IXOTH > 0 || open.file.mode & S_IFDIR > 0", false)]
    [InlineData("container.id == \"c1\" && open.file.name == \"x\"", true)]
    [InlineData("process.ancestors.file.name in [\"bash\"] && open.file.name == \"x\"", true)]
    [InlineData("open.file.path in [~\"/opt/*/x\"]", true)]
    [InlineData("open.file.path in [~\"/opt/a\"]", false)]
    [InlineData("open.file.name in [~\"x*\", ~\"y*\"]", true)]
    [InlineData("process.envs in [~\"*_KEY\"] && open.file.name == \"x\"", true)]
    public void Evaluate_IndexedRule_MatchesLikeTheExpression(string expression, bool expected)
    {
        var result = Vigil.Core.Secl.Policy.SeclPolicyLoader.Load(new Vigil.Core.Secl.Policy.SeclPolicySource("p.policy", "file",
            $"rules:\n  - id: r\n    expression: '{expression}'\n"));
        var rules = result.RuleSet;
        var evt = new SeclEvent("open").SetValue("open.file.path", "/opt/app/x").SetValue("open.file.name", "x").SetValue("open.file.mode", 0x81E4L)
            .SetValue("process.container.id", "c1").SetValue("process.envs", new[] { "API_KEY" });
        evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", "bash");
        Assert.Equal(expected, rules.Evaluate(evt, []) == 1);
        Assert.Equal(expected, rules.EvaluateNaive(evt, []) == 1);
    }

    /// <summary>The index's pre-check folds case for case-insensitive fields: no spelling of a key may be filtered out.</summary>
    [Theory]
    [InlineData("\"pastebin.com\", \"Ghostbin.co\"", "pastebin.com", true)]
    [InlineData("\"pastebin.com\", \"Ghostbin.co\"", "PasteBin.COM", true)]
    [InlineData("\"pastebin.com\", \"Ghostbin.co\"", "GHOSTBIN.CO", true)]
    [InlineData("\"pastebin.com\", \"Ghostbin.co\"", "pastebin.co", false)]
    [InlineData("\"pastebin.com\", \"Ghostbin.co\"", "pastebim.com", false)]
    [InlineData("\"pastebin.com\", \"évil.example\"", "ÉVIL.example", true)] // non-ASCII: the table steps aside
    [InlineData("\"pastebin.com\", \"évil.example\"", "PASTEBIN.com", true)]
    public void Evaluate_CaseInsensitiveField_FindsEverySpellingOfAKey(string keys, string name, bool expected)
    {
        var result = Vigil.Core.Secl.Policy.SeclPolicyLoader.Load(new Vigil.Core.Secl.Policy.SeclPolicySource("p.policy", "file",
            $"rules:\n  - id: r\n    expression: 'dns.question.name in [{keys}]'\n"));
        var evt = new SeclEvent("dns").SetValue("dns.question.name", name);

        Assert.Equal(expected, result.RuleSet.Evaluate(evt, []) == 1);
        Assert.Equal(expected, result.RuleSet.EvaluateNaive(evt, []) == 1);
    }

    [Fact]
    public void Evaluate_UnknownEventType_MatchesNothing()
    {
        Assert.Equal(0, DefaultRules.Value.Evaluate(new SeclEvent("bpf"), []));
    }
}
