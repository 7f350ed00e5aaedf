using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Rules;

/// <summary>
/// What the agent-rule editor edits, as text boxes hold it. Lists are typed comma-separated (<c>env:prod, team:web</c>);
/// tags as <c>key:value</c> pairs. Tags and product tags are set when a rule is created: the Api's update takes the
/// expression, the description and the host-tag scope only.
/// </summary>
public sealed class AgentRuleForm
{
    public string Id { get; set; } = "";
    public string Expression { get; set; } = "";
    public string Description { get; set; } = "";
    public string Tags { get; set; } = "";
    public string ProductTags { get; set; } = "";
    public string HostTags { get; set; } = "";
    public bool Enabled { get; set; } = true;

    public static AgentRuleForm From(AgentRuleDto? rule) => rule is null ? new AgentRuleForm() : new AgentRuleForm
    {
        Id = rule.RuleId, Expression = rule.Expression, Description = rule.Description, HostTags = string.Join(", ", rule.HostTags), Enabled = rule.Enabled,
    };

    public AgentRuleRequest ToCreateRequest()
    {
        var tags = Split(Tags).Select(t => t.Split(':', 2)).ToDictionary(kv => kv[0].Trim(), kv => kv.Length > 1 ? kv[1].Trim() : "", StringComparer.Ordinal);
        return new AgentRuleRequest(Id.Trim(), Expression, Blank(Description), tags.Count > 0 ? tags : null,
            NullIfEmpty(Split(ProductTags)), NullIfEmpty(Split(HostTags)), Enabled);
    }

    /// <summary>The changes to a stored rule; an empty host-tag box sends an empty list (loads everywhere), not "unchanged".</summary>
    public AgentRuleUpdateRequest ToUpdateRequest(int version) => new(Expression, Description.Trim(), Split(HostTags), version);

    /// <summary>A problem the Api would refuse anyway, caught before sending so it shows under its field: duplicate tag keys.</summary>
    public IReadOnlyDictionary<string, string[]> LocalErrors()
    {
        var keys = Split(Tags).Select(t => t.Split(':', 2)[0].Trim()).ToList();
        var duplicates = keys.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        return duplicates.Count == 0 ? new Dictionary<string, string[]>()
            : new Dictionary<string, string[]> { ["tags"] = [$"tag keys must be unique: {string.Join(", ", duplicates)}."] };
    }

    private static List<string> Split(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static List<string>? NullIfEmpty(List<string> list) => list.Count > 0 ? list : null;

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
