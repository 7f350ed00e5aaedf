using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Binding;

/// <summary>A macro ready for binding: its id and its parsed expression (a list, a bit mask or a boolean expression).</summary>
public sealed record SeclMacro(string Id, ParseResult Parsed)
{
    public static SeclMacro FromExpression(string id, string expression) => new(id, SeclParser.Parse(expression));

    /// <summary>A <c>values:</c> macro becomes a string array.</summary>
    public static SeclMacro FromValues(string id, IEnumerable<string> values) =>
        FromExpression(id, "[" + string.Join(", ", values.Select(v => "\"" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "]");
}

/// <summary>What the binder may refer to besides fields and constants.</summary>
public sealed class SeclBindingScope
{
    public static SeclBindingScope Empty { get; } = new();

    public Dictionary<string, SeclMacro> Macros { get; } = new(StringComparer.Ordinal);

    /// <summary>User variables declared by <c>set</c> actions (name as written in <c>${...}</c>).</summary>
    public Dictionary<string, SeclVariableType> Variables { get; } = new(StringComparer.Ordinal);
}
