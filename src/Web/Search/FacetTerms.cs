using System.Text;

namespace Vigil.Web.Search;

/// <summary>
/// Turns a facet click into a term of the shared query language and adds it to (or takes it out of) the
/// query text, so the query bar always shows the whole search and the URL can carry it.
/// </summary>
public static class FacetTerms
{
    /// <summary>The query field behind each facet the Api counts (severity is <c>status</c>, as in Datadog).</summary>
    public static readonly IReadOnlyDictionary<string, string> SignalFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["severity"] = "status",
        ["status"] = "@workflow.triage.state",
        ["rule"] = "rule",
        ["agent_rule"] = "@agent.rule_id",
        ["host"] = "host",
        ["tactic"] = "tactic",
        ["assignee"] = "@workflow.triage.assignee.uuid",
        ["container"] = "@container.id",
        ["image"] = "image_name", // Datadog's tag for the container image; the Api answers it from the signal's image
    };

    /// <summary>A container id as <c>docker ps</c> shows it (12 characters); the facet's tooltip keeps the whole term.</summary>
    public static string ShortContainerId(string id) => id.Length > 12 ? id[..12] : id;

    /// <summary><c>field:"value"</c>, quoted so that spaces, colons and stars in the value stay literal.</summary>
    public static string Term(string field, string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
                quoted.Append('\\');
            quoted.Append(c);
        }
        return field + ":" + quoted.Append('"');
    }

    public static bool Contains(string? query, string term) => Tokens(query).Contains(term, StringComparer.Ordinal);

    /// <summary>Adds the term (ANDed, as a space does) or, when it is already there, removes it.</summary>
    public static string Toggle(string? query, string term)
    {
        var tokens = Tokens(query).ToList();
        if (tokens.Remove(term))
            return string.Join(' ', tokens);
        var text = (query ?? "").Trim();
        if (text.Contains(" OR ", StringComparison.Ordinal))
            text = "(" + text + ")"; // a space binds tighter than OR: keep the user's query whole
        return text.Length == 0 ? term : text + " " + term;
    }

    /// <summary>Splits on spaces outside quotes and parentheses: enough to find whole facet terms again.</summary>
    internal static IEnumerable<string> Tokens(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
            yield break;
        var current = new StringBuilder();
        var inQuotes = false;
        var depth = 0;
        for (var i = 0; i < query.Length; i++)
        {
            var c = query[i];
            if (c == '\\' && i + 1 < query.Length)
            {
                current.Append(c).Append(query[++i]);
                continue;
            }
            if (c == '"')
                inQuotes = !inQuotes;
            else if (!inQuotes && c == '(')
                depth++;
            else if (!inQuotes && c == ')')
                depth = Math.Max(0, depth - 1);
            if (c == ' ' && !inQuotes && depth == 0)
            {
                if (current.Length > 0)
                    yield return current.ToString();
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0)
            yield return current.ToString();
    }
}
