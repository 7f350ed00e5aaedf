using System.Text.RegularExpressions;
using Vigil.Core.Query;
using Vigil.Core.Query.Evaluation;

namespace Vigil.Core.Detection;

/// <summary>Fills <c>{{field}}</c> placeholders of a rule's name or message with the triggering event's values.</summary>
public static partial class SignalText
{
    private const int MaxLength = 20_000;

    public static string Render(string template, IQueryDocument document)
    {
        var rendered = Placeholder().Replace(template, m =>
            QueryFacets.GetFirstValue(document, QueryField.Parse(m.Groups[1].Value.Trim())) ?? "");
        return rendered.Length <= MaxLength ? rendered : rendered[..MaxLength];
    }

    [GeneratedRegex(@"\{\{\s*(@?[A-Za-z0-9_.\-]+)\s*\}\}", RegexOptions.None, matchTimeoutMilliseconds: 100)]
    private static partial Regex Placeholder();
}
