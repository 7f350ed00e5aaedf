namespace Vigil.Core.Query.Evaluation;

/// <summary>
/// Tags of a document (<c>env:prod</c>, <c>team:payments</c>, <c>host:web-1</c>), by case-insensitive key;
/// a key may have several values. A tag without ':' has an empty value.
/// </summary>
public sealed class QueryTags
{
    private readonly Dictionary<string, string[]> _values;

    private QueryTags(Dictionary<string, string[]> values) => _values = values;

    public static QueryTags Empty { get; } = new(new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase));

    public int Count => _values.Count;

    /// <summary>Reads <c>key:value</c> strings; the value runs from the first ':' on.</summary>
    public static QueryTags Parse(IEnumerable<string> tags)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var tag in tags)
        {
            var colon = tag.IndexOf(':', StringComparison.Ordinal);
            pairs.Add(colon < 0 ? new(tag, "") : new(tag[..colon], tag[(colon + 1)..]));
        }

        return From(pairs);
    }

    public static QueryTags From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var lists = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in pairs)
        {
            if (!lists.TryGetValue(key, out var list))
            {
                lists[key] = list = [];
            }

            list.Add(value);
        }

        var values = new Dictionary<string, string[]>(lists.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, list) in lists)
        {
            values[key] = [.. list];
        }

        return new QueryTags(values);
    }

    public bool Contains(string key) => _values.ContainsKey(key);

    public IReadOnlyList<string> GetValues(string key) => _values.TryGetValue(key, out var values) ? values : [];

    /// <summary>Visits the values of <paramref name="key"/>; false when the key is absent.</summary>
    public bool Visit(string key, IQueryValueVisitor visitor)
    {
        if (!_values.TryGetValue(key, out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
            if (visitor.Visit(QueryValue.FromString(value)))
            {
                return true;
            }
        }

        return false;
    }
}
