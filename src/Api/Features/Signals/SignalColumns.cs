using Vigil.Core.Query;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Signals;

/// <summary>A signal field the search language reads straight from a column (see <see cref="SignalDocument"/>).</summary>
public abstract record SignalColumn
{
    public sealed record Text(string Property, bool Nullable) : SignalColumn;
    public sealed record Severity : SignalColumn;
    public sealed record TriageState : SignalColumn;
    public sealed record EventCount : SignalColumn;
    public sealed record Assignee : SignalColumn;
}

public static class SignalColumns
{
    private static readonly Dictionary<string, SignalColumn> ByName = new(StringComparer.Ordinal)
    {
        ["host"] = new SignalColumn.Text(nameof(Signal.Hostname), Nullable: false),
        ["rule"] = new SignalColumn.Text(nameof(Signal.RuleId), Nullable: false),
        ["workflow.rule.id"] = new SignalColumn.Text(nameof(Signal.RuleId), Nullable: false),
        ["title"] = new SignalColumn.Text(nameof(Signal.Title), Nullable: false),
        ["message"] = new SignalColumn.Text(nameof(Signal.Message), Nullable: false),
        ["agent.rule_id"] = new SignalColumn.Text(nameof(Signal.AgentRuleId), Nullable: true),
        ["status"] = new SignalColumn.Severity(),
        ["workflow.triage.state"] = new SignalColumn.TriageState(),
        ["events_matched"] = new SignalColumn.EventCount(),
        ["workflow.triage.assignee.uuid"] = new SignalColumn.Assignee(),
        ["container.id"] = new SignalColumn.Text(nameof(Signal.ContainerId), Nullable: true),
    };

    /// <summary>
    /// The tag Datadog puts the container image in (<c>image_name:nginx</c>). A signal answers it from its
    /// <see cref="Signal.ContainerImage"/> column as well as from its rule's tags.
    /// </summary>
    public const string ImageTag = "image_name";

    /// <summary>
    /// The column behind a field, or null. Reserved names other than host, status and rule (service,
    /// source, env) come from the sample event or the tags, so they have no column.
    /// </summary>
    public static SignalColumn? Of(QueryField field) => field.Kind switch
    {
        QueryFieldKind.Attribute => ByName.GetValueOrDefault(field.Name),
        QueryFieldKind.Reserved when field.Name is "host" or "status" or "rule" => ByName[field.Name],
        _ => null,
    };
}
