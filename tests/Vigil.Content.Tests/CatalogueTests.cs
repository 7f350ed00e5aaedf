using Vigil.Core.Content;
using Vigil.Core.Secl.Policy;

namespace Vigil.Content.Tests;

/// <summary>Properties of the whole catalogue: it loads cleanly, every rule has cases, ids are unique, coverage and version hold.</summary>
public sealed class CatalogueTests
{
    private static ContentCatalog Content => Catalogue.Content;

    [Fact]
    public void Catalogue_Load_ReportsNoProblems() =>
        Assert.True(Content.Problems.Count == 0, string.Join("\n", Content.Problems));

    [Fact]
    public void Policies_Load_WithoutAnyErrorAndEveryRuleLoaded()
    {
        var loaded = Catalogue.Policies;
        Assert.Empty(loaded.Errors);
        Assert.All(loaded.Macros, m => Assert.Equal(SeclRuleStatus.Loaded, m.Status));
        Assert.All(loaded.Rules, r => Assert.True(r.Status == SeclRuleStatus.Loaded, r.ToString()));
    }

    [Fact]
    public void Catalogue_Size_MeetsTheMinimum()
    {
        Assert.True(Content.AgentRules.Count >= 80, $"{Content.AgentRules.Count} agent rules, at least 80 expected");
        Assert.True(Content.DetectionRules.Count >= 50, $"{Content.DetectionRules.Count} detection rules, at least 50 expected");
    }

    [Fact]
    public void RuleIds_AreUnique()
    {
        var agentDuplicates = Content.AgentRules.GroupBy(r => r.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(agentDuplicates.Count == 0, "duplicate agent rule ids: " + string.Join(", ", agentDuplicates));
        var detectionDuplicates = Content.DetectionRules.GroupBy(r => r.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(detectionDuplicates.Count == 0, "duplicate detection rule ids: " + string.Join(", ", detectionDuplicates));
        var names = Content.DetectionRules.GroupBy(r => r.Definition.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(names.Count == 0, "two detection rules share a name: " + string.Join(", ", names));
    }

    [Fact]
    public void TestFiles_EachBelongToExactlyOneRule()
    {
        var agentIds = Content.AgentRules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(Content.AgentRuleTests, t =>
        {
            Assert.Contains(t.RuleId, agentIds);
            Assert.Equal(t.RuleId + ".json", t.FileName);
        });
        Assert.Equal(Content.AgentRuleTests.Count, Content.AgentRuleTests.Select(t => t.RuleId).Distinct(StringComparer.Ordinal).Count());

        var detectionIds = Content.DetectionRules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(Content.DetectionRuleTests, t =>
        {
            Assert.Contains(t.RuleId, detectionIds);
            Assert.Equal(t.RuleId + ".json", t.FileName);
        });
        Assert.Equal(Content.DetectionRuleTests.Count, Content.DetectionRuleTests.Select(t => t.RuleId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void AgentRules_CoverEveryMonitoringKind()
    {
        var kinds = KindsByRule();
        foreach (var kind in new[] { ContentCoverage.Process, ContentCoverage.File, ContentCoverage.Dns, ContentCoverage.Kernel })
            Assert.True(kinds.Values.Count(k => k == kind) >= 5, $"fewer than 5 {kind} rules");
        var tactics = Content.AgentRules.SelectMany(r => r.Tactics).Distinct().Count();
        Assert.True(tactics >= 12, $"agent rules cover {tactics} MITRE tactics, 12 expected");
    }

    [Fact]
    public void BlockingCapableRules_AreCryptominingRulesThatAcceptAKillAction()
    {
        var blocking = Content.AgentRules.Where(r => r.IsBlockingCapable).ToList();
        Assert.True(blocking.Count >= 6, "the crypto-mining rules should be marked blocking_capable");
        Assert.All(blocking, r => Assert.Contains("technique:T1496-resource-hijacking", r.Techniques));
        Assert.Contains(blocking, r => r.Expression.Contains("stratum+tcp://", StringComparison.Ordinal));
        Assert.Contains(blocking, r => r.Expression.Contains("dns.question.name", StringComparison.Ordinal));
        Assert.Contains(blocking, r => r.Expression.Contains("msr", StringComparison.Ordinal));

        // What Active Protection will do: the same policies with a kill action on each blocking-capable rule must still load.
        var ids = blocking.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var withKill = Content.Policies.Select(p => p with { Content = AddKillActions(p.Content, ids) }).ToList();
        var loaded = new SeclPolicyLoader(new SeclAgentOptions()).LoadAll(withKill);
        Assert.Empty(loaded.Errors);
        Assert.All(ids, id => Assert.Contains(loaded.RuleSet.Rules, r => r.Id == id && r.OtherActions.Any(a => a.Kind == "kill")));
    }

    [Fact]
    public void Manifest_HashMatchesTheContent_AndVersionsAscend()
    {
        var manifest = Content.Manifest;
        Assert.NotNull(manifest);
        Assert.NotNull(manifest.Current);
        var actual = ContentManifest.ComputeHash(Content.Directory);
        Assert.True(manifest.Current.ContentSha256 == actual,
            $"content changed since release {manifest.Current.Version}: add a release to content/manifest.json with a higher version and content_sha256 \"{actual}\"");
        var versions = manifest.Releases.Select(r => Version.Parse(r.Version)).ToList();
        for (var i = 1; i < versions.Count; i++)
            Assert.True(versions[i] > versions[i - 1], $"release {versions[i]} must be higher than {versions[i - 1]}");
        Assert.Equal(manifest.Releases.Count, manifest.Releases.Select(r => r.ContentSha256).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Readme_CoverageTable_IsUpToDate()
    {
        var table = ContentCoverage.ToMarkdown(Content.AgentRules.Select(r => (KindsByRule()[r.Id], r.Tactics)));
        var readme = File.ReadAllText(Path.Combine(Content.Directory, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(readme.Contains(table, StringComparison.Ordinal), "content/README.md must contain the current coverage table:\n" + table);
    }

    internal static Dictionary<string, string> KindsByRule() =>
        Catalogue.Policies.Rules.Where(r => r.EventType is not null)
            .ToDictionary(r => r.Id, r => ContentCoverage.KindOf(r.EventType!), StringComparer.Ordinal);

    /// <summary>Appends <c>actions: [kill: SIGKILL]</c> after the <c>version</c> line of each listed rule.</summary>
    private static string AddKillActions(string policy, HashSet<string> ids)
    {
        var lines = policy.Split('\n').ToList();
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("- id: ", StringComparison.Ordinal) && ids.Contains(line["- id: ".Length..].Trim()))
                lines.Insert(i + 1, "    actions:\n      - kill:\n          signal: SIGKILL");
        }
        return string.Join('\n', lines);
    }
}
