using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Notifications;

/// <summary>What the notification rule form edits; lists are typed as comma-separated text.</summary>
public sealed class NotificationRuleForm
{
    public static readonly IReadOnlyList<string> Severities = ["info", "low", "medium", "high", "critical"];

    public Guid? Id { get; private init; }
    public string Name { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public string MinSeverity { get; set; } = "medium";
    public HashSet<Guid> ChannelIds { get; } = [];
    public string RuleTypes { get; set; } = "";
    public string RuleIds { get; set; } = "";
    public string Tags { get; set; } = "";
    public string Environment { get; set; } = "";
    public string Query { get; set; } = "";
    public bool RenotifyOnSeverityIncrease { get; set; } = true;

    public bool IsNew => Id is null;

    public static NotificationRuleForm From(NotificationRuleDto rule)
    {
        var form = new NotificationRuleForm
        {
            Id = rule.Id, Name = rule.Name, Enabled = rule.Enabled, MinSeverity = rule.MinSeverity, RuleTypes = string.Join(", ", rule.RuleTypes),
            RuleIds = string.Join(", ", rule.RuleIds), Tags = string.Join(", ", rule.Tags), Environment = rule.Environment ?? "",
            Query = rule.Query ?? "", RenotifyOnSeverityIncrease = rule.RenotifyOnSeverityIncrease,
        };
        form.ChannelIds.UnionWith(rule.ChannelIds);
        return form;
    }

    public NotificationRuleRequest ToRequest() => new(
        Name.Trim(), [.. ChannelIds], MinSeverity, Enabled, List(RuleTypes), List(RuleIds), List(Tags),
        string.IsNullOrWhiteSpace(Environment) ? null : Environment.Trim(), string.IsNullOrWhiteSpace(Query) ? null : Query.Trim(),
        RenotifyOnSeverityIncrease);

    public static IReadOnlyList<string> List(string text) =>
        text.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
