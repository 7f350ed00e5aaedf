using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;

namespace Vigil.Web.Rules;

/// <summary>A problem of the rule being edited; <c>Snippet</c>/<c>Column</c> point at the character when known.</summary>
public sealed record RuleProblem(string Field, string Message, string? Snippet = null, int? Column = null);

/// <summary>
/// Reads the rule editor's JSON and places the Api's validation errors: a query error "(at 1:12)" is shown
/// under that query with a caret at column 12; a JSON mistake under its line.
/// </summary>
public static partial class RuleProblems
{
    public static readonly JsonSerializerOptions Json = new(ApiJson.Options) { WriteIndented = true };

    /// <summary>The definition, or null with the JSON problem (line and column) when the text does not parse.</summary>
    public static DetectionRuleDefinition? Parse(string text, out RuleProblem? problem)
    {
        problem = null;
        try
        {
            var rule = JsonSerializer.Deserialize<DetectionRuleDefinition>(text, Json);
            if (rule is null)
                problem = new RuleProblem("json", "The rule must be a JSON object.");
            return rule;
        }
        catch (JsonException e)
        {
            var lineIndex = (int)(e.LineNumber ?? 0);
            var lines = text.Split('\n');
            var line = lineIndex < lines.Length ? lines[lineIndex].TrimEnd('\r') : null;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            problem = new RuleProblem("json", $"Not valid rule JSON at line {lineIndex + 1}, column {column}: {FirstSentence(e.Message)}", line, column);
            return null;
        }
    }

    /// <summary>The Api's errors, placed on the rule's text where they say where.</summary>
    public static IReadOnlyList<RuleProblem> Place(DetectionRuleDefinition rule, IReadOnlyDictionary<string, string[]> errors)
    {
        var problems = new List<RuleProblem>();
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                var query = QueryPath().Match(field) is { Success: true } m && int.TryParse(m.Groups[1].Value, out var i) && i < rule.Queries.Count
                    ? rule.Queries[i].Query : null;
                if (query is not null && Position().Match(message) is { Success: true } at)
                {
                    var lineNumber = int.Parse(at.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    var column = int.Parse(at.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                    var lines = query.Split('\n');
                    problems.Add(new RuleProblem(field, message, lines[Math.Clamp(lineNumber - 1, 0, lines.Length - 1)], column));
                }
                else
                {
                    problems.Add(new RuleProblem(field, message));
                }
            }
        }
        return problems;
    }

    /// <summary>A line of spaces with a caret under the column (1-based), for a monospace snippet.</summary>
    public static string Caret(int column) => new string(' ', Math.Max(0, column - 1)) + "^";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    [GeneratedRegex(@"^queries\[(\d+)\]\.query$")]
    private static partial Regex QueryPath();

    [GeneratedRegex(@"\(at (\d+):(\d+)\)")]
    private static partial Regex Position();
}
