namespace Vigil.Web.Search;

/// <summary>
/// The whole state of an explorer page in its address (query, time range, open signal, grouping), so a
/// search can be shared as a link and survives reloads.
/// </summary>
public sealed record ExplorerUrl(string Path, string? Query, string? From, string? To, Guid? Signal = null, string? GroupBy = null)
{
    public string ToRelative()
    {
        var parts = new List<string>();
        Add(parts, "q", Query);
        Add(parts, "from", From);
        Add(parts, "to", To);
        Add(parts, "signal", Signal?.ToString());
        Add(parts, "group", GroupBy);
        return parts.Count == 0 ? Path : Path + "?" + string.Join('&', parts);
    }

    private static void Add(List<string> parts, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
            parts.Add(name + "=" + Uri.EscapeDataString(value));
    }
}
