using System.Globalization;
using System.Text;

namespace Vigil.Core.Secl.Model;

/// <summary>
/// Field reference generated from the model definition (so the documentation cannot drift from
/// what the binder and evaluator accept): one Markdown section per event type.
/// </summary>
public static class SeclModelDocumentation
{
    public static string ToMarkdown(SeclFieldCatalog? catalog = null)
    {
        catalog ??= SeclFieldCatalog.Linux;
        var text = new StringBuilder();
        text.AppendLine("# SECL fields (Linux)").AppendLine();
        text.AppendLine("Generated from `SeclModelDefinition`. Types: string, int, bool, IP; `[]` marks lists (any-element semantics).").AppendLine();
        var sections = new List<(string Title, string EventType)> { ("Fields available for every event type", SeclField.AnyEventType) };
        sections.AddRange(catalog.EventTypes.Values.OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => ($"`{e.Name}` ({e.Category}, agent {e.FromAgentVersion}{(e.Experimental ? ", experimental" : "")})", e.Name)));
        foreach (var (title, eventType) in sections)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
            text.AppendLine("| Field | Type | Notes | Constants | JSON |").AppendLine("|---|---|---|---|---|");
            foreach (var field in catalog.Fields.Where(f => f.EventTypes.Contains(eventType)).OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                var type = field.Type switch { SeclValueType.String => "string", SeclValueType.Int => "int", SeclValueType.Bool => "bool", _ => "IP" } + (field.IsList ? "[]" : "");
                var notes = new List<string>();
                if (field.Iterator is not null) notes.Add($"iterates `{field.Iterator}`");
                if (field.IsPath) notes.Add("path (glob per segment, no regex)");
                if (field.IsCaseInsensitive) notes.Add("case-insensitive");
                if (field.IsTimestamp) notes.Add("timestamp (duration = age)");
                if (field.Derivation != SeclFieldDerivation.Stored) notes.Add($"{field.Derivation.ToString().ToLowerInvariant()} of `{field.SourceField}`");
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| `{field.Name}` | {type} | {string.Join("; ", notes)} | {field.ConstantsGroup ?? ""} | {(field.JsonPath is null ? "" : $"`{field.JsonPath}`")} |");
            }
            text.AppendLine();
        }
        return text.ToString();
    }
}
