using Vigil.Core.Content;
using Vigil.Core.Detection;
using Vigil.Core.Secl.Policy;

namespace Vigil.Content.Tests;

/// <summary>The loader itself, on small catalogues written to a temporary directory.</summary>
public sealed class ContentCatalogLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-content-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Policy = """
        version: 1.0.0
        rules:
          - id: demo_miner
            description: A demo miner ran
            expression: 'exec.file.name == "xmrig"'
            tags:
              severity: critical
              protection: blocking_capable
            product_tags:
              - tactic:TA0040-impact
              - technique:T1496-resource-hijacking
            remediation: |
              **Remediation**

              1. Kill it.
        """;

    private const string DetectionRule = """
        { "name": "Demo", "method": "new_value", "queries": [{ "name": "a", "query": "@agent.rule_id:demo_miner" }],
          "group_by": ["host"], "options": { "new_value": { "field": "@process.executable.path", "learning_duration_seconds": 0, "status": "high" } },
          "message": "## Goal\nx", "tags": ["tactic:TA0040-impact"] }
        """;

    private const string DetectionCases = """
        { "rule_id": "demo_detection", "cases": [
          { "name": "fires", "expect": { "signals": 1, "severity": "high" },
            "events": [ { "offset_seconds": 30, "host": "h1", "tags": ["env:prod"],
                          "event": { "agent": { "rule_id": "demo_miner" }, "evt": { "name": "exec" }, "process": { "executable": { "path": "/tmp/xmrig", "name": "xmrig" } } } } ] } ] }
        """;

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private void WriteMinimalCatalogue()
    {
        Write("agent-policies/demo.policy", Policy);
        Write("detection-rules/demo_detection.json", DetectionRule);
        Write("tests/agent-rules/demo_miner.json", """{ "rule_id": "demo_miner", "match": [{ "name": "m", "event": { "evt": { "name": "exec" } } }], "no_match": [] }""");
        Write("tests/detection-rules/demo_detection.json", DetectionCases);
        Write("manifest.json", """{ "releases": [ { "version": "1.0.0", "content_sha256": "abc" }, { "version": "1.1.0", "content_sha256": "def" } ] }""");
    }

    [Fact]
    public void Load_MinimalCatalogue_ReadsEveryPart()
    {
        WriteMinimalCatalogue();
        var catalog = ContentCatalog.Load(_dir);

        Assert.Empty(catalog.Problems);
        var rule = Assert.Single(catalog.AgentRules);
        Assert.Equal(("demo_miner", "demo.policy", "critical"), (rule.Id, rule.PolicyName, rule.Severity));
        Assert.Equal(["tactic:TA0040-impact"], rule.Tactics);
        Assert.Equal(["technique:T1496-resource-hijacking"], rule.Techniques);
        Assert.True(rule.IsBlockingCapable);
        Assert.Equal("**Remediation**\n\n1. Kill it.", rule.Remediation?.TrimEnd());

        var detection = Assert.Single(catalog.DetectionRules);
        Assert.Equal("demo_detection", detection.Id);
        Assert.Equal(DetectionMethod.NewValue, detection.Definition.Method);
        Assert.Equal("@process.executable.path", detection.Definition.Options.NewValue!.Field);
        Assert.Equal(ContentCatalog.StableRuleId("demo_detection"), detection.StableId);

        var agentCases = Assert.Single(catalog.AgentRuleTests);
        Assert.Single(agentCases.Match);
        Assert.Empty(agentCases.NoMatch);
        var detectionCase = Assert.Single(Assert.Single(catalog.DetectionRuleTests).Cases);
        Assert.Equal((1, "high"), (detectionCase.ExpectedSignals, detectionCase.ExpectedSeverity));
        var evt = Assert.Single(detectionCase.Events);
        Assert.Equal((30L, "h1", "env:prod"), (evt.OffsetSeconds, evt.Host, Assert.Single(evt.Tags)));

        Assert.Equal("1.1.0", catalog.Manifest!.Current!.Version);
        Assert.Empty(catalog.LoadPolicies().Errors);
        var signal = Assert.Single(ContentCaseRunner.Replay(detection.Definition, detectionCase));
        Assert.Equal(ContentCaseRunner.CaseStart.AddSeconds(30), signal.FirstSeen);
    }

    [Fact]
    public void Load_BrokenFiles_AreReportedWithTheirNamesInsteadOfThrowing()
    {
        Write("agent-policies/bad.policy", "rules:\n  - id: [unclosed\n");
        Write("detection-rules/not_json.json", "{ name: ");
        Write("detection-rules/typo.json", """{ "name": "x", "queries": [], "mesage": "typo" }""");
        Write("tests/agent-rules/no_id.json", """{ "match": [] }""");

        var catalog = ContentCatalog.Load(_dir);

        Assert.Contains(catalog.Problems, p => p.StartsWith("agent-policies/bad.policy: invalid YAML", StringComparison.Ordinal));
        Assert.Contains(catalog.Problems, p => p.StartsWith("detection-rules/not_json.json:", StringComparison.Ordinal));
        Assert.Contains(catalog.Problems, p => p.StartsWith("detection-rules/typo.json:", StringComparison.Ordinal) && p.Contains("mesage", StringComparison.Ordinal));
        Assert.Contains(catalog.Problems, p => p.StartsWith("tests/agent-rules/no_id.json:", StringComparison.Ordinal));
        Assert.Contains("manifest.json: missing", catalog.Problems);
        Assert.Empty(catalog.DetectionRules);
    }

    [Fact]
    public void ComputeHash_FollowsTheContent_NotLineEndingsOrTheReadme()
    {
        WriteMinimalCatalogue();
        var original = ContentManifest.ComputeHash(_dir);

        Write("README.md", "changed");
        Write("manifest.json", "{}");
        Assert.Equal(original, ContentManifest.ComputeHash(_dir));

        Write("agent-policies/demo.policy", Policy.Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Equal(original, ContentManifest.ComputeHash(_dir));

        Write("agent-policies/demo.policy", Policy.Replace("critical", "high", StringComparison.Ordinal));
        Assert.NotEqual(original, ContentManifest.ComputeHash(_dir));
    }

    [Fact]
    public void StableRuleId_IsTheSameForAnIdAndDiffersBetweenIds()
    {
        Assert.Equal(ContentCatalog.StableRuleId("reverse_shell"), ContentCatalog.StableRuleId("reverse_shell"));
        Assert.NotEqual(ContentCatalog.StableRuleId("reverse_shell"), ContentCatalog.StableRuleId("reverse_shells"));
        Assert.Equal(8, ContentCatalog.StableRuleId("reverse_shell").Version);
    }

    [Theory]
    [InlineData("""{ "evt": { "name": "setuid" }, "process": { "credentials": { "uid": 1000, "destination": { "uid": 0, "euid": 0 } } } }""", "setuid.euid == 0 && process.uid == 1000", true)]
    [InlineData("""{ "evt": { "name": "setuid" }, "process": { "credentials": { "uid": 1000, "destination": { "uid": 1001, "euid": 1001 } } } }""", "setuid.euid == 0 && process.uid == 1000", false)]
    [InlineData("""{ "evt": { "name": "capset" }, "process": { "credentials": { "destination": { "cap_effective": ["CAP_SYS_ADMIN"] } } } }""", "capset.cap_effective & CAP_SYS_ADMIN > 0", true)]
    [InlineData("""{ "evt": { "name": "capset" }, "process": { "credentials": { "destination": { "cap_effective": ["CAP_CHOWN"] } } } }""", "capset.cap_effective & CAP_SYS_ADMIN > 0", false)]
    [InlineData("""{ "evt": { "name": "setgid" }, "process": { "credentials": { "destination": { "group": "root" } } } }""", "setgid.group == \"root\"", true)]
    public void AgentEventReader_CredentialChanges_AreReadFromTheDestination(string json, string expression, bool matches)
    {
        var policy = $"rules:\n  - id: r\n    expression: '{expression}'\n";
        var loaded = SeclPolicyLoader.Load(new SeclPolicySource("p.policy", SeclPolicySources.File, policy));
        Assert.Empty(loaded.Errors);
        Assert.Equal(matches, ContentCaseRunner.MatchingAgentRules(loaded.RuleSet, json).Contains("r"));
    }

    [Theory]
    [InlineData("exec", ContentCoverage.Process)]
    [InlineData("open,chmod,chown,link,rename,unlink,utimes", ContentCoverage.File)]
    [InlineData("unlink", ContentCoverage.File)]
    [InlineData("dns", ContentCoverage.Dns)]
    [InlineData("ptrace", ContentCoverage.Kernel)]
    [InlineData("load_module", ContentCoverage.Kernel)]
    [InlineData("connect", ContentCoverage.Network)]
    public void KindOf_EventType_GivesTheMonitoringKind(string eventType, string kind) =>
        Assert.Equal(kind, ContentCoverage.KindOf(eventType));
}
