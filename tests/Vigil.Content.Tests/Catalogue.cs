using Vigil.Core.Content;
using Vigil.Core.Secl.Policy;

namespace Vigil.Content.Tests;

/// <summary>The repository's <c>content/</c> catalogue, loaded once per test run.</summary>
public static class Catalogue
{
    private static readonly Lazy<ContentCatalog> Loaded = new(() => ContentCatalog.Load(FindDirectory()));
    private static readonly Lazy<SeclLoadResult> LoadedPolicies = new(() => Loaded.Value.LoadPolicies());

    public static ContentCatalog Content => Loaded.Value;

    public static SeclLoadResult Policies => LoadedPolicies.Value;

    private static readonly Lock RuleSetLock = new();

    /// <summary>Agent rules matching an event. The shared rule set keeps evaluation state, so test classes running in parallel take turns.</summary>
    public static IReadOnlyList<string> MatchingAgentRules(string eventJson)
    {
        lock (RuleSetLock)
            return ContentCaseRunner.MatchingAgentRules(Policies.RuleSet, eventJson);
    }

    /// <summary>Walks up from the test binaries to the folder holding <c>content/manifest.json</c>.</summary>
    public static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "content");
            if (File.Exists(Path.Combine(candidate, ContentManifest.FileName)))
                return candidate;
        }
        throw new DirectoryNotFoundException("content/manifest.json not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every agent rule id and every detection rule id: one theory row each, so each rule shows up in the count.</summary>
    public static TheoryData<string> AgentRuleIds() => new(Content.AgentRules.Select(r => r.Id));

    public static TheoryData<string> DetectionRuleIds() => new(Content.DetectionRules.Select(r => r.Id));
}
