using System.Text.Json;

namespace Vigil.Core.Content;

/// <summary>
/// Reads the test-case files. Agent rule cases (<c>tests/agent-rules/&lt;rule-id&gt;.json</c>):
/// <c>{"rule_id", "match": [{"name", "event"}], "no_match": [...]}</c>. Detection rule cases
/// (<c>tests/detection-rules/&lt;id&gt;.json</c>): <c>{"rule_id", "cases": [{"name", "expect": {"signals", "severity"},
/// "events": [{"offset_seconds", "host", "tags", "event"}]}]}</c>.
/// </summary>
internal static class ContentTestCaseReader
{
    public const string DefaultHost = "host-1";

    public static AgentRuleTestCases? ReadAgentRuleCases(string path, List<string> problems) =>
        Read(path, ContentCatalog.AgentRuleTestsFolder, problems, root => new AgentRuleTestCases(
            RuleId(root), Path.GetFileName(path), EventCases(root, "match"), EventCases(root, "no_match")));

    public static DetectionRuleTestCases? ReadDetectionRuleCases(string path, List<string> problems) =>
        Read(path, ContentCatalog.DetectionRuleTestsFolder, problems, root => new DetectionRuleTestCases(
            RuleId(root), Path.GetFileName(path),
            Array(root, "cases").Select(c =>
            {
                var expect = c.GetProperty("expect");
                return new DetectionRuleTestCase(
                    c.GetProperty("name").GetString() ?? "",
                    expect.GetProperty("signals").GetInt32(),
                    expect.TryGetProperty("severity", out var severity) ? severity.GetString() : null,
                    Array(c, "events").Select(e => new DetectionTestEvent(
                        e.TryGetProperty("offset_seconds", out var offset) ? offset.GetInt64() : 0,
                        e.TryGetProperty("host", out var host) ? host.GetString() ?? DefaultHost : DefaultHost,
                        e.TryGetProperty("tags", out var tags) ? tags.EnumerateArray().Select(t => t.GetString() ?? "").ToList() : [],
                        e.GetProperty("event").GetRawText())).ToList());
            }).ToList()));

    private static T? Read<T>(string path, string folder, List<string> problems, Func<JsonElement, T> read) where T : class
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return read(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            problems.Add($"{folder}/{Path.GetFileName(path)}: {ex.Message}");
            return null;
        }
    }

    private static string RuleId(JsonElement root) => root.GetProperty("rule_id").GetString() ?? "";

    private static List<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) ? [.. array.EnumerateArray()] : [];

    private static List<ContentEventCase> EventCases(JsonElement root, string name) =>
        Array(root, name).Select(c => new ContentEventCase(c.GetProperty("name").GetString() ?? "", c.GetProperty("event").GetRawText())).ToList();
}
