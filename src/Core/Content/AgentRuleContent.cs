using Vigil.Core.Secl.Policy;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Vigil.Core.Content;

/// <summary>
/// What the catalogue says about an agent rule besides its expression. Severity and protection live in the
/// rule's <c>tags</c> and MITRE in its <c>product_tags</c> (both kept by the policy loader and sent with
/// events); the Markdown remediation lives in a <c>remediation</c> key the policy loader ignores.
/// </summary>
public sealed record AgentRuleContent(
    string Id,
    string PolicyName,
    string Description,
    string Expression,
    string? Severity,
    IReadOnlyList<string> Tactics,
    IReadOnlyList<string> Techniques,
    string? Remediation,
    string? Protection)
{
    /// <summary>Tag value of crypto-mining rules the platform may turn into blocking ones (a <c>kill</c> action).</summary>
    public const string BlockingCapable = "blocking_capable";

    public bool IsBlockingCapable => Protection == BlockingCapable;
}

/// <summary>Reads the catalogue metadata of each rule of a policy file.</summary>
internal static class AgentRuleContentReader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    private sealed class Document
    {
        public List<Rule>? Rules { get; set; }
    }

    private sealed class Rule
    {
        public string? Id { get; set; }
        public string? Description { get; set; }
        public string? Expression { get; set; }
        public Dictionary<string, string>? Tags { get; set; }
        public List<string>? ProductTags { get; set; }
        public string? Remediation { get; set; }
    }

    public static IEnumerable<AgentRuleContent> Read(SeclPolicySource policy, List<string> problems)
    {
        Document? document;
        try
        {
            document = Yaml.Deserialize<Document>(policy.Content);
        }
        catch (YamlException ex)
        {
            problems.Add($"{ContentCatalog.PoliciesFolder}/{policy.Name}: invalid YAML at {ex.Start.Line}:{ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}");
            return [];
        }
        return (document?.Rules ?? []).Select(r =>
        {
            var tags = r.Tags ?? [];
            var productTags = r.ProductTags ?? [];
            return new AgentRuleContent(
                r.Id ?? "", policy.Name, r.Description ?? "", r.Expression ?? "",
                tags.GetValueOrDefault("severity"),
                productTags.Where(t => t.StartsWith("tactic:", StringComparison.Ordinal)).ToList(),
                productTags.Where(t => t.StartsWith("technique:", StringComparison.Ordinal)).ToList(),
                r.Remediation, tags.GetValueOrDefault("protection"));
        }).ToList();
    }
}
