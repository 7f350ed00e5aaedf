using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;

namespace Vigil.Core.Content;

/// <summary>
/// Reads <c>detection-rules/&lt;id&gt;.json</c>: exactly the rule definition the REST API accepts (snake_case),
/// so importing it into an organization is one API call. Unknown properties are errors (a typo would
/// otherwise silently drop a setting).
/// </summary>
internal static class DetectionRuleContentReader
{
    private static readonly JsonSerializerOptions Options = new(ApiJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static DetectionRuleContent? Read(string path, List<string> problems)
    {
        var fileName = Path.GetFileName(path);
        try
        {
            var definition = JsonSerializer.Deserialize<DetectionRuleDefinition>(File.ReadAllText(path), Options);
            if (definition is not null)
                return new DetectionRuleContent(Path.GetFileNameWithoutExtension(path), fileName, definition);
            problems.Add($"{ContentCatalog.DetectionRulesFolder}/{fileName}: the file holds null");
        }
        catch (JsonException ex)
        {
            problems.Add($"{ContentCatalog.DetectionRulesFolder}/{fileName}: {ex.Message}");
        }
        return null;
    }
}
