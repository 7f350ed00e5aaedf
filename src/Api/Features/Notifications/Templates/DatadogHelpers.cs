using System.Collections;
using System.Text.Json;
using HandlebarsDotNet;
using Vigil.Core.Query;

namespace Vigil.Api.Features.Notifications.Templates;

/// <summary>
/// Datadog's conditional blocks: <c>{{#is_match "var" "text" …}}</c> holds when the variable contains any of
/// the texts (case-insensitive; a text with <c>*</c> is a wildcard pattern over the whole value), <c>{{#is_exact_match "var" "value" …}}</c> when it
/// equals one of them. <c>{{else}}</c> gives the other branch. Variables name context paths
/// (<c>signal.severity</c>, <c>host</c>) or event attributes (<c>@process.file.path</c>).
/// </summary>
internal static class DatadogHelpers
{
    public static void Register(IHandlebars handlebars)
    {
        handlebars.RegisterHelper("is_match", (output, options, context, arguments) =>
            Branch(output, options, context, arguments, exact: false));
        handlebars.RegisterHelper("is_exact_match", (output, options, context, arguments) =>
            Branch(output, options, context, arguments, exact: true));
    }

    private static void Branch(EncodedTextWriter output, BlockHelperOptions options, Context context, Arguments arguments, bool exact)
    {
        var matched = false;
        if (arguments.Length >= 2 && arguments[0] is string variable)
        {
            var value = Resolve(context.Value, variable);
            if (value is not null)
            {
                for (var i = 1; i < arguments.Length && !matched; i++)
                {
                    var expected = arguments[i]?.ToString() ?? "";
                    matched = exact ? string.Equals(value, expected, StringComparison.Ordinal) : Contains(value, expected);
                }
            }
        }
        if (matched)
            options.Template(output, context);
        else
            options.Inverse(output, context);
    }

    private static bool Contains(string value, string expected) =>
        expected.Contains('*')
            ? WildcardPattern.Compile(expected).IsMatch(value)
            : value.Contains(expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>Walks a dotted path through the variables; <c>@x.y</c> walks the event attributes.</summary>
    internal static string? Resolve(object? root, string path)
    {
        object? current = root;
        if (path.StartsWith('@'))
        {
            current = Step(root, TemplateVariables.EventKey);
            path = path[1..];
        }
        foreach (var part in path.Split('.'))
        {
            current = Step(current, part);
            if (current is null)
                return null;
        }
        return current switch
        {
            string s => s,
            IDictionary or IList => JsonSerializer.Serialize(current),
            _ => Convert.ToString(current, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static object? Step(object? current, string key) =>
        current is IDictionary<string, object?> map && map.TryGetValue(key, out var next) ? next : null;
}
