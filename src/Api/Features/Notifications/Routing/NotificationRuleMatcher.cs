using System.Text.Json;
using Vigil.Api.Features.Signals;
using Vigil.Core.Domain;
using Vigil.Core.Query.Evaluation;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Notifications.Routing;

/// <summary>
/// A notification rule ready to match signals: at least the severity, one of the rule types and rule ids
/// (when listed), one of the tags (when listed), the environment (<c>env:</c> tag of the rule or attribute of
/// the event), and the query in the shared search syntax (when set).
/// </summary>
public sealed class NotificationRuleMatcher
{
    private readonly NotificationRule _rule;
    private readonly Severity _minimum;
    private readonly HashSet<string> _ruleTypes;
    private readonly HashSet<string> _ruleIds;
    private readonly HashSet<string> _tags;
    private readonly CompiledQuery? _query;
    private readonly bool _brokenQuery;

    public NotificationRuleMatcher(NotificationRule rule)
    {
        _rule = rule;
        if (!SeverityNames.TryParse(rule.MinSeverity, out _minimum))
            _minimum = Severity.Info;
        _ruleTypes = List(rule.RuleTypesJson);
        _ruleIds = List(rule.RuleIdsJson);
        _tags = List(rule.TagsJson);
        // A query that no longer compiles (it was valid when saved) matches nothing rather than everything.
        if (!string.IsNullOrWhiteSpace(rule.Query) && !QueryCompiler.TryCompile(rule.Query, out _query, out _))
            _brokenQuery = true;
    }

    public NotificationRule Rule => _rule;

    public IReadOnlyList<Guid> ChannelIds => JsonSerializer.Deserialize<List<Guid>>(_rule.ChannelIdsJson) ?? [];

    public bool Matches(Signal signal, Severity severity, string ruleType)
    {
        if (severity < _minimum || _brokenQuery)
            return false;
        if (_ruleTypes.Count > 0 && !_ruleTypes.Contains(ruleType))
            return false;
        if (_ruleIds.Count > 0 && !_ruleIds.Contains(signal.RuleId))
            return false;
        var tags = JsonSerializer.Deserialize<List<string>>(signal.TagsJson) ?? [];
        if (_tags.Count > 0 && !tags.Any(_tags.Contains))
            return false;
        if (!string.IsNullOrEmpty(_rule.Environment) && !InEnvironment(signal, tags, _rule.Environment))
            return false;
        if (_query is null)
            return true;
        using var sample = JsonDocument.Parse(signal.SampleEventJson);
        return _query.Matches(SignalDocument.From(signal, sample.RootElement));
    }

    private static bool InEnvironment(Signal signal, List<string> tags, string environment)
    {
        if (tags.Contains($"env:{environment}", StringComparer.OrdinalIgnoreCase))
            return true;
        var attributes = Templates.TemplateVariables.Attributes(signal.SampleEventJson);
        return attributes.TryGetValue("env", out var env) && string.Equals(env as string, environment, StringComparison.OrdinalIgnoreCase);
    }

    private static HashSet<string> List(string json) =>
        new(JsonSerializer.Deserialize<List<string>>(json) ?? [], StringComparer.OrdinalIgnoreCase);
}
