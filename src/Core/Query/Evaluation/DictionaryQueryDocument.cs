using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Vigil.Core.Query.Evaluation;

/// <summary>
/// A document backed by a dictionary, for signals: <c>status</c> (severity), <c>rule</c>, <c>host</c>,
/// <c>title</c>, <c>workflow.triage.state</c>, … plus tags.
/// </summary>
/// <remarks>
/// Values may be strings, numbers, booleans, enums (matched by their lower-case name), dates (ISO 8601),
/// nested dictionaries (flattened into dotted keys) and sequences (one value per element; sequences of
/// dictionaries flatten like JSON arrays of objects); a <see cref="JsonElement"/> (such as a sample of the
/// agent event) flattens the same way. Null values are left out. Everything is converted
/// once, in the constructor; matching then allocates nothing. Reserved fields (<c>host</c>,
/// <c>status</c>, …) are read from the attribute of the same name, else from the tags.
/// </remarks>
public sealed class DictionaryQueryDocument : IQueryDocument
{
    private readonly Dictionary<string, List<Scalar>> _attributes = new(StringComparer.Ordinal);
    private readonly QueryTags _tags;

    public DictionaryQueryDocument(IEnumerable<KeyValuePair<string, object?>> attributes, QueryTags? tags = null)
    {
        _tags = tags ?? QueryTags.Empty;
        foreach (var (key, value) in attributes)
        {
            Add(key, value, 0);
        }
    }

    public bool VisitValues(QueryField field, IQueryValueVisitor visitor)
    {
        switch (field.Kind)
        {
            case QueryFieldKind.Tag:
                return _tags.Visit(field.Name, visitor);
            case QueryFieldKind.Reserved when !_attributes.ContainsKey(field.Name):
                return _tags.Visit(field.Name, visitor);
            default:
                if (!_attributes.TryGetValue(field.Name, out var values))
                {
                    return false;
                }

                foreach (var value in values)
                {
                    var matched = value.Kind switch
                    {
                        QueryValueKind.Number => visitor.Visit(QueryValue.FromNumber(value.Number, value.Text)),
                        QueryValueKind.Boolean => visitor.Visit(QueryValue.FromBoolean(value.Number != 0)),
                        QueryValueKind.Composite => visitor.Visit(QueryValue.FromComposite()),
                        _ => visitor.Visit(QueryValue.FromString(value.Text)),
                    };
                    if (matched)
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    private void Add(string key, object? value, int depth)
    {
        if (value is null || depth > 32)
        {
            return;
        }

        switch (value)
        {
            case string text:
                Append(key, new Scalar(QueryValueKind.Text, text, 0));
                break;
            case bool flag:
                Append(key, new Scalar(QueryValueKind.Boolean, flag ? "true" : "false", flag ? 1 : 0));
                break;
            case Enum member:
                Append(key, new Scalar(QueryValueKind.Text, member.ToString().ToLowerInvariant(), 0));
                break;
            case DateTimeOffset moment:
                Append(key, new Scalar(QueryValueKind.Text, moment.ToString("O", CultureInfo.InvariantCulture), 0));
                break;
            case DateTime moment:
                Append(key, new Scalar(QueryValueKind.Text, moment.ToString("O", CultureInfo.InvariantCulture), 0));
                break;
            case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                Append(key, new Scalar(QueryValueKind.Number, ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture), number));
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                Append(key, new Scalar(QueryValueKind.Composite, "", 0));
                foreach (var (child, childValue) in map)
                {
                    Add(key + "." + child, childValue, depth + 1);
                }

                break;
            case IDictionary map:
                Append(key, new Scalar(QueryValueKind.Composite, "", 0));
                foreach (DictionaryEntry entry in map)
                {
                    Add(key + "." + Convert.ToString(entry.Key, CultureInfo.InvariantCulture), entry.Value, depth + 1);
                }

                break;
            case JsonElement json:
                AddJson(key, json, depth);
                break;
            case IEnumerable sequence:
                foreach (var item in sequence)
                {
                    Add(key, item, depth + 1);
                }

                break;
            default:
                Append(key, new Scalar(QueryValueKind.Text, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", 0));
                break;
        }
    }

    private void AddJson(string key, JsonElement json, int depth)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                Append(key, new Scalar(QueryValueKind.Composite, "", 0));
                foreach (var property in json.EnumerateObject())
                {
                    Add(key + "." + property.Name, property.Value, depth + 1);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray())
                {
                    Add(key, item, depth + 1);
                }

                break;
            case JsonValueKind.String:
                Append(key, new Scalar(QueryValueKind.Text, json.GetString() ?? "", 0));
                break;
            case JsonValueKind.Number:
                Append(key, new Scalar(QueryValueKind.Number, json.GetRawText(), json.TryGetDouble(out var number) ? number : double.NaN));
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Add(key, json.ValueKind == JsonValueKind.True, depth);
                break;
        }
    }

    private void Append(string key, Scalar scalar)
    {
        if (!_attributes.TryGetValue(key, out var list))
        {
            _attributes[key] = list = [];
        }

        list.Add(scalar);
    }

    private readonly record struct Scalar(QueryValueKind Kind, string Text, double Number);
}
