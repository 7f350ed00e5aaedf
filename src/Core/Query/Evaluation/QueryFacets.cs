namespace Vigil.Core.Query.Evaluation;

/// <summary>Counts per value of a facet, plus how many documents had no value for it.</summary>
public sealed record QueryFacetCounts(IReadOnlyDictionary<string, int> Values, int Missing);

/// <summary>Reads facet values out of documents, to group by them and to count them.</summary>
public static class QueryFacets
{
    /// <summary>The values of <paramref name="field"/> as text, in document order (objects are skipped).</summary>
    public static IReadOnlyList<string> GetValues(IQueryDocument document, QueryField field)
    {
        var collector = new Collector(stopAtFirst: false);
        document.VisitValues(field, collector);
        return collector.Values;
    }

    /// <summary>The first value of <paramref name="field"/>, or null when it has none (a group-by key).</summary>
    public static string? GetFirstValue(IQueryDocument document, QueryField field)
    {
        var collector = new Collector(stopAtFirst: true);
        document.VisitValues(field, collector);
        return collector.Values.Count == 0 ? null : collector.Values[0];
    }

    /// <summary>
    /// Counts documents per value of <paramref name="field"/>: a document with several values counts once
    /// for each distinct one; values are compared exactly (ordinal).
    /// </summary>
    public static QueryFacetCounts Count(IEnumerable<IQueryDocument> documents, QueryField field)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            var values = GetValues(document, field);
            if (values.Count == 0)
            {
                missing++;
                continue;
            }

            seen.Clear();
            foreach (var value in values)
            {
                if (seen.Add(value))
                {
                    counts[value] = counts.GetValueOrDefault(value) + 1;
                }
            }
        }

        return new QueryFacetCounts(counts, missing);
    }

    private sealed class Collector(bool stopAtFirst) : IQueryValueVisitor
    {
        public List<string> Values { get; } = [];

        public bool Visit(QueryValue value)
        {
            if (value.Kind == QueryValueKind.Composite)
            {
                return false;
            }

            Values.Add(value.Text.ToString());
            return stopAtFirst;
        }
    }
}
