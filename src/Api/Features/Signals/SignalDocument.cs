using System.Globalization;
using System.Text.Json;
using Vigil.Core.Domain;
using Vigil.Core.Query;
using Vigil.Core.Query.Evaluation;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Signals;

/// <summary>
/// A signal as the search language sees it: <c>status</c> is the severity (as in Datadog), <c>host</c>,
/// <c>rule</c> (detection rule id, also <c>@workflow.rule.id</c>), <c>@title</c>, <c>@message</c>,
/// <c>@workflow.triage.state</c>, <c>@workflow.triage.assignee.uuid</c>, <c>@agent.rule_id</c>, <c>@events_matched</c>,
/// <c>@container.id</c>, the rule's tags (<c>tactic:…</c>) plus <c>image_name:</c> (the container's image), and every other
/// attribute of the sample event (<c>@process.executable.path</c>).
/// </summary>
/// <remarks>
/// The signal's own fields win over sample attributes of the same name, so a search on them reads only the
/// signal's columns — what <see cref="SignalQueryTranslator"/> relies on to run those terms in SQL. (The
/// sample's <c>agent.rule_id</c> is the signal's agent rule anyway: detection copies it from that event.)
/// Reserved names without a column (<c>service</c>, <c>source</c>, <c>env</c>) come from the sample when it
/// has them, else from the tags. The sample is walked lazily, as for agent events: nothing is copied.
/// </remarks>
public sealed class SignalDocument(Signal signal, JsonElement sample, QueryTags tags) : IQueryDocument
{
    /// <summary>Top-level names the signal defines itself; the sample's properties of these names are not read.</summary>
    private static readonly HashSet<string> OwnNames = new(StringComparer.Ordinal)
        { "title", "host", "status", "rule", "message", "workflow", "events_matched" };

    private readonly JsonEventDocument? _sample = sample.ValueKind == JsonValueKind.Object ? new JsonEventDocument(sample) : null;

    public static SignalDocument From(Signal signal, JsonElement sample) => new(signal, sample, Tags(signal.TagsJson));

    public static QueryTags Tags(string tagsJson) => QueryTags.Parse(JsonSerializer.Deserialize<List<string>>(tagsJson) ?? []);

    public bool VisitValues(QueryField field, IQueryValueVisitor visitor)
    {
        if (field.Kind == QueryFieldKind.Tag)
        {
            if (field.Name == SignalColumns.ImageTag && signal.ContainerImage is { } image && Text(image, visitor))
                return true;
            return tags.Visit(field.Name, visitor);
        }
        switch (field.Name)
        {
            case "host": return Text(signal.Hostname, visitor);
            case "status": return Text(signal.Severity.ToWire(), visitor);
            case "rule" or "workflow.rule.id": return Text(signal.RuleId, visitor);
            case "title": return Text(signal.Title, visitor);
            case "message": return Text(signal.Message, visitor);
            case "workflow.triage.state": return Text(signal.TriageState.ToWire(), visitor);
            case "agent.rule_id": return signal.AgentRuleId is { } agentRule && Text(agentRule, visitor);
            case "events_matched": return Number(signal.EventCount, visitor);
            case "workflow.triage.assignee.uuid": return signal.AssigneeUserId is { } assignee && Text(assignee.ToString("D"), visitor);
            // The column holds the sample's container.id (cut at its length limit): the same answer SQL gives.
            case "container.id": return signal.ContainerId is { } container && Text(container, visitor);
        }
        if (_sample is null || OwnNames.Contains(field.Path[0]) || IsUnder(field, "agent.rule_id"))
            return field.Kind == QueryFieldKind.Reserved && tags.Visit(field.Name, visitor);
        if (field.Kind == QueryFieldKind.Reserved && !_sample.VisitValues(field, AnyValue.Instance))
            return tags.Visit(field.Name, visitor);
        return _sample.VisitValues(field, visitor);
    }

    private static bool Text(string value, IQueryValueVisitor visitor) => visitor.Visit(QueryValue.FromString(value));

    private static bool Number(int value, IQueryValueVisitor visitor)
    {
        Span<char> text = stackalloc char[11];
        value.TryFormat(text, out var written, provider: CultureInfo.InvariantCulture);
        return visitor.Visit(QueryValue.FromNumber(value, text[..written]));
    }

    private static bool IsUnder(QueryField field, string prefix) => field.Name.StartsWith(prefix + ".", StringComparison.Ordinal);

    /// <summary>Stops at the first value: "the field exists".</summary>
    private sealed class AnyValue : IQueryValueVisitor
    {
        public static readonly AnyValue Instance = new();

        public bool Visit(QueryValue value) => true;
    }
}
