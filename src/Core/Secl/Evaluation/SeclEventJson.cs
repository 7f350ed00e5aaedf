using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// Reads and writes events in Datadog's agent-event JSON shape (reference §3.4) using each field's
/// <see cref="SeclField.JsonPath"/> from the model definition. The event type comes from <c>evt.name</c>.
/// Enum values may be names (<c>"O_CREAT"</c>, lists of names for flags) or numbers; timestamps may be
/// RFC 3339 strings or Unix nanoseconds.
/// </summary>
public static partial class SeclEventJson
{
    /// <summary>Parses one agent event. Throws <see cref="JsonException"/> or <see cref="FormatException"/> on malformed input.</summary>
    public static SeclEvent Read(string json, SeclFieldCatalog? catalog = null)
    {
        catalog ??= SeclFieldCatalog.Linux;
        var root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("an agent event is a JSON object");
        var eventType = root["evt"]?["name"]?.GetValue<string>() ?? throw new FormatException("evt.name (the event type) is missing");
        var evt = new SeclEvent(eventType, catalog);
        NormalizeDatadogShapes(root);
        if (root["date"] is JsonValue date && TryTimestamp(date, out var timestamp)) evt.TimestampNanoseconds = timestamp;
        var elements = new Dictionary<string, SeclElement[]>(StringComparer.Ordinal);

        foreach (var field in catalog.Fields)
        {
            if (field.JsonPath is null || field.Derivation != SeclFieldDerivation.Stored || !field.IsAvailableFor(eventType)) continue;
            if (field.Iterator is null)
            {
                if (Find(root, field.JsonPath) is { } node && Convert(field, node) is { } value) evt.SetValue(field.Name, value);
                continue;
            }
            // Iterated field: the iterator's JSON array has the same path as its SECL name.
            if (!elements.TryGetValue(field.Iterator, out var items))
            {
                var array = Find(root, field.Iterator) as JsonArray;
                items = array is null ? [] : [.. array.Select(_ => evt.AddElement(field.Iterator))];
                elements[field.Iterator] = items;
            }
            if (items.Length == 0) continue;
            var array2 = (JsonArray)Find(root, field.Iterator)!;
            var relative = field.JsonPath[(field.Iterator.Length + 1)..];
            for (var i = 0; i < items.Length; i++)
            {
                if (array2[i] is JsonObject element && Find(element, relative) is { } node && Convert(field, node) is { } value) items[i].SetValue(field.Name, value);
            }
        }
        ReadDestination(evt, root);
        return evt;
    }

    private static JsonNode? Find(JsonNode root, string path)
    {
        var node = root;
        foreach (var segment in path.Split('.'))
        {
            node = (node as JsonObject)?[segment];
            if (node is null) return null;
        }
        return node;
    }

    private static object? Convert(SeclField field, JsonNode node)
    {
        if (field.IsTimestamp && node is JsonValue time) return TryTimestamp(time, out var ns) ? ns : null;
        if (node is JsonArray array)
        {
            var items = array.Where(n => n is JsonValue).Select(n => Scalar(n!.AsValue())).OfType<object>().ToArray();
            // Flags serialised as a list of names are one bit mask for an int field.
            if (!field.IsList && field.Type == SeclValueType.Int) return items;
            if (!field.IsList) return items.Length > 0 ? items[0] : null;
            return field.Type == SeclValueType.String ? items.Select(i => System.Convert.ToString(i, CultureInfo.InvariantCulture)!).ToArray() : items;
        }
        return node is JsonValue value ? Scalar(value) : null;
    }

    private static object? Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.TryGetValue<long>(out var l) ? l : (long)value.GetValue<double>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static bool TryTimestamp(JsonValue value, out long nanoseconds)
    {
        nanoseconds = 0;
        if (value.TryGetValue<long>(out nanoseconds)) return true;
        if (value.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            nanoseconds = (date.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
            return true;
        }
        return false;
    }

    /// <summary>Writes the stored fields of an event in the agent-event shape (enums as numbers, timestamps as RFC 3339).</summary>
    public static string Write(SeclEvent evt)
    {
        var root = new JsonObject { ["evt"] = new JsonObject { ["name"] = evt.EventType } };
        if (evt.TimestampNanoseconds != 0) root["date"] = ToDate(evt.TimestampNanoseconds);
        foreach (var field in evt.Catalog.Fields)
        {
            if (field.JsonPath is null || field.Derivation != SeclFieldDerivation.Stored || !field.IsAvailableFor(evt.EventType)) continue;
            if (field.Iterator is null)
            {
                if (evt.TryGet(field.StorageId, out var value)) Place(root, field.JsonPath, ToJson(field, value));
                continue;
            }
            var iteratorId = evt.Catalog.GetIteratorId(field.Iterator);
            var count = evt.ElementCount(iteratorId);
            if (count == 0) continue;
            if (Find(root, field.Iterator) is not JsonArray array)
            {
                array = [];
                for (var i = 0; i < count; i++) array.Add(new JsonObject());
                Place(root, field.Iterator, array);
            }
            for (var i = 0; i < count; i++)
            {
                if (evt.Element(iteratorId, i).TryGet(field.StorageId, out var value))
                    Place((JsonObject)array[i]!, field.JsonPath[(field.Iterator.Length + 1)..], ToJson(field, value));
            }
        }
        return root.ToJsonString();
    }

    private static string ToDate(long nanoseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonNode? ToJson(SeclField field, SeclValue value)
    {
        if (value.Texts is not null) return new JsonArray([.. value.Texts.Select(t => (JsonNode?)t)]);
        if (value.Numbers is not null) return new JsonArray([.. value.Numbers.Select(n => (JsonNode?)n)]);
        if (value.Ips is not null) return new JsonArray([.. value.Ips.Select(n => (JsonNode?)n.ToString())]);
        return field.Type switch
        {
            SeclValueType.String => value.Text,
            SeclValueType.Bool => value.Number != 0,
            SeclValueType.Ip => value.Ip.ToString(),
            _ when field.IsTimestamp => ToDate(value.Number),
            _ => value.Number,
        };
    }

    private static void Place(JsonObject root, string path, JsonNode? value)
    {
        var segments = path.Split('.');
        var node = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (node[segments[i]] is not JsonObject child) node[segments[i]] = child = [];
            node = child;
        }
        node[segments[^1]] = value;
    }
}
