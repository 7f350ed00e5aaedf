using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Core.Contracts;

namespace Vigil.Ingest.Intake;

/// <summary>A batch as posted, once parsed and validated.</summary>
public sealed record ParsedBatch(string BatchId, string Hostname, string? AgentVersion, IReadOnlyList<AcceptedEvent> Events, IReadOnlyList<string> Tags);

/// <summary>The batch, or what is wrong with it (keyed by JSON path); TooManyEvents means 413, not 400.</summary>
public sealed record BatchParseResult(ParsedBatch? Batch, Dictionary<string, string[]> Errors, bool TooManyEvents = false);

/// <summary>
/// Parses and validates a batch body: <c>{"batch_id", "hostname", "agent_version"?, "events": [agent event…]}</c>
/// where each event has the Datadog agent-event shape (at least <c>agent.rule_id</c> and <c>title</c>).
/// Every problem is reported with the JSON path it concerns; one bad event rejects the whole batch so
/// an agent never has half a batch stored and the other half retried.
/// </summary>
public static partial class BatchParser
{
    private const int MaxIdLength = 128;
    private const int MaxHostnameLength = 255;
    private const int MaxTitleLength = 512;
    private const int MaxErrorsReported = 20;
    private const int MaxTags = 50;
    private const int MaxTagLength = 200;

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex BatchIdShape();

    /// <remarks>The events' JSON is not copied out: the body itself travels on the bus.</remarks>
    public static BatchParseResult Parse(
        ReadOnlyMemory<byte> body, IngestOptions options, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            errors["body"] = [$"The body is not valid JSON: {e.Message}"];
            return new(null, errors);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = ["The body must be a JSON object with batch_id, hostname and events."];
                return new(null, errors);
            }

            var batchId = RequiredString(root, "batch_id", MaxIdLength, errors);
            if (batchId is not null && !BatchIdShape().IsMatch(batchId))
                errors["batch_id"] = ["batch_id may only contain letters, digits and . _ : - (at most 128)."];
            var hostname = RequiredString(root, "hostname", MaxHostnameLength, errors);
            var agentVersion = OptionalString(root, "agent_version", 64, errors);
            var tags = ParseTags(root, errors);

            if (!root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            {
                errors["events"] = ["events is required and must be an array of agent events."];
                return new(null, errors);
            }
            var count = events.GetArrayLength();
            if (count > options.MaxEventsPerBatch)
            {
                errors["events"] = [$"The batch holds {count} events; the limit is {options.MaxEventsPerBatch}."];
                return new(null, errors, TooManyEvents: true);
            }
            if (count == 0)
                errors["events"] = ["events must hold at least one event."];

            var accepted = new List<AcceptedEvent>(count);
            var index = 0;
            foreach (var evt in events.EnumerateArray())
            {
                if (errors.Count >= MaxErrorsReported)
                    break;
                var parsed = ParseEvent(evt, $"events[{index}]", options, now, errors);
                if (parsed is not null)
                    accepted.Add(parsed);
                index++;
            }

            if (errors.Count > 0)
                return new(null, errors);
            return new(new ParsedBatch(batchId!, hostname!, agentVersion, accepted, tags), errors);
        }
    }

    /// <summary>Optional host tags: an array of at most 50 <c>key:value</c> strings.</summary>
    private static List<string> ParseTags(JsonElement root, Dictionary<string, string[]> errors)
    {
        var tags = new List<string>();
        if (!root.TryGetProperty("tags", out var array) || array.ValueKind == JsonValueKind.Null)
            return tags;
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() > MaxTags)
        {
            errors["tags"] = [$"tags must be an array of at most {MaxTags} strings."];
            return tags;
        }
        foreach (var tag in array.EnumerateArray())
        {
            if (tag.ValueKind != JsonValueKind.String || tag.GetString() is not { Length: > 0 and <= MaxTagLength } text)
            {
                errors["tags"] = [$"each tag must be a non-empty string of at most {MaxTagLength} characters."];
                return tags;
            }
            tags.Add(text);
        }
        return tags;
    }

    private static AcceptedEvent? ParseEvent(
        JsonElement evt, string path, IngestOptions options, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (evt.ValueKind != JsonValueKind.Object)
        {
            errors[path] = ["Each event must be a JSON object."];
            return null;
        }
        var before = errors.Count;
        string? ruleId = null;
        if (!evt.TryGetProperty("agent", out var agent) || agent.ValueKind != JsonValueKind.Object)
            errors[$"{path}.agent"] = ["agent is required and must be an object."];
        else
            ruleId = RequiredString(agent, "rule_id", MaxIdLength, errors, $"{path}.agent.rule_id");

        var title = RequiredString(evt, "title", MaxTitleLength, errors, $"{path}.title");
        string? eventType = null;
        if (evt.TryGetProperty("evt", out var evtInfo) && evtInfo.ValueKind == JsonValueKind.Object)
            eventType = OptionalString(evtInfo, "name", 64, errors, $"{path}.evt.name");

        var timestamp = now;
        if (evt.TryGetProperty("date", out var date))
        {
            if (date.ValueKind != JsonValueKind.String ||
                !DateTimeOffset.TryParse(date.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp))
                errors[$"{path}.date"] = ["date must be an ISO 8601 timestamp."];
            else if (timestamp < now - options.MaxEventAge)
                errors[$"{path}.date"] = [$"date {date.GetString()} is older than {options.MaxEventAge.TotalDays:0} days."];
            else if (timestamp > now + options.MaxClockSkew)
                errors[$"{path}.date"] = [$"date {date.GetString()} is in the future (more than {options.MaxClockSkew.TotalMinutes:0} min ahead)."];
        }

        if (errors.Count > before)
            return null;
        return new AcceptedEvent(ruleId!, eventType, timestamp.ToUniversalTime(), title!, Json: null);
    }

    private static string? RequiredString(
        JsonElement obj, string name, int maxLength, Dictionary<string, string[]> errors, string? path = null)
    {
        path ??= name;
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String ||
            string.IsNullOrWhiteSpace(value.GetString()))
        {
            errors[path] = [$"{name} is required and must be a non-empty string."];
            return null;
        }
        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            errors[path] = [$"{name} is longer than {maxLength} characters."];
            return null;
        }
        return text;
    }

    private static string? OptionalString(
        JsonElement obj, string name, int maxLength, Dictionary<string, string[]> errors, string? path = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return RequiredString(obj, name, maxLength, errors, path);
    }
}
