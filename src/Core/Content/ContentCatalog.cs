using System.Security.Cryptography;
using System.Text;
using Vigil.Core.Detection;
using Vigil.Core.Secl.Policy;

namespace Vigil.Core.Content;

/// <summary>
/// The out-of-the-box catalogue as shipped in the <c>content/</c> folder: agent policies (Datadog
/// <c>.policy</c> YAML), backend detection rules (API JSON), the test cases of each rule and the manifest.
/// <see cref="Load"/> never throws on a bad file: it reports it in <see cref="Problems"/> so a test (or an
/// import) can list every mistake at once.
/// </summary>
public sealed record ContentCatalog(
    string Directory,
    ContentManifest? Manifest,
    IReadOnlyList<SeclPolicySource> Policies,
    IReadOnlyList<AgentRuleContent> AgentRules,
    IReadOnlyList<DetectionRuleContent> DetectionRules,
    IReadOnlyList<AgentRuleTestCases> AgentRuleTests,
    IReadOnlyList<DetectionRuleTestCases> DetectionRuleTests,
    IReadOnlyList<string> Problems)
{
    public const string PoliciesFolder = "agent-policies";
    public const string DetectionRulesFolder = "detection-rules";
    public const string AgentRuleTestsFolder = "tests/agent-rules";
    public const string DetectionRuleTestsFolder = "tests/detection-rules";

    /// <summary>Reads every file of the catalogue under <paramref name="directory"/>.</summary>
    public static ContentCatalog Load(string directory)
    {
        var problems = new List<string>();
        var policies = Files(directory, PoliciesFolder, "*.policy")
            .Select(path => new SeclPolicySource(Path.GetFileName(path), SeclPolicySources.Bundled, File.ReadAllText(path)))
            .ToList();
        var agentRules = policies.SelectMany(p => AgentRuleContentReader.Read(p, problems)).ToList();
        var detectionRules = Files(directory, DetectionRulesFolder, "*.json")
            .Select(path => DetectionRuleContentReader.Read(path, problems)).OfType<DetectionRuleContent>().ToList();
        var agentTests = Files(directory, AgentRuleTestsFolder, "*.json")
            .Select(path => ContentTestCaseReader.ReadAgentRuleCases(path, problems)).OfType<AgentRuleTestCases>().ToList();
        var detectionTests = Files(directory, DetectionRuleTestsFolder, "*.json")
            .Select(path => ContentTestCaseReader.ReadDetectionRuleCases(path, problems)).OfType<DetectionRuleTestCases>().ToList();
        var manifest = ContentManifest.Read(directory, problems);
        return new ContentCatalog(directory, manifest, policies, agentRules, detectionRules, agentTests, detectionTests, problems);
    }

    /// <summary>Loads the policies the way an agent does (default agent options unless given).</summary>
    public SeclLoadResult LoadPolicies(SeclAgentOptions? options = null) => new SeclPolicyLoader(options ?? new SeclAgentOptions()).LoadAll(Policies);

    /// <summary>
    /// A stable id for an out-of-the-box detection rule, derived from its content id, so every organization
    /// (and every re-import) names the same rule with the same Guid.
    /// </summary>
    public static Guid StableRuleId(string contentId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("vigil-content-detection-rule:" + contentId));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (name-based, custom hash)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    internal static IEnumerable<string> Files(string directory, string folder, string pattern)
    {
        var path = Path.Combine(directory, folder);
        return System.IO.Directory.Exists(path)
            ? System.IO.Directory.GetFiles(path, pattern).Order(StringComparer.Ordinal)
            : [];
    }
}

/// <summary>A detection rule of the catalogue: its content id (the file name) and its definition.</summary>
public sealed record DetectionRuleContent(string Id, string FileName, DetectionRuleDefinition Definition)
{
    public Guid StableId => ContentCatalog.StableRuleId(Id);
}
