using System.Globalization;

namespace Vigil.Core.Secl.Policy;

/// <summary>
/// Datadog <c>agent_version</c> constraints: space- or comma-separated comparisons such as
/// <c>&gt;= 7.71</c>, <c>&gt;=7.65 &lt;7.70</c>, <c>&gt;= 7.70.1</c>. Prerelease and metadata are stripped before checking.
/// </summary>
public static class AgentVersionConstraint
{
    public static bool TryParseVersion(string text, out Version version)
    {
        var core = text.Trim().TrimStart('v');
        var cut = core.IndexOfAny(['-', '+']);
        if (cut >= 0) core = core[..cut];
        var parts = core.Split('.');
        version = new Version(0, 0, 0);
        if (parts.Length is 0 or > 3) return false;
        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])) return false;
        }
        version = new Version(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <summary>Checks <paramref name="agentVersion"/> against a constraint; false with an error for an unreadable constraint.</summary>
    public static bool Satisfies(string constraint, Version agentVersion, out string? error)
    {
        error = null;
        var text = constraint.Replace(",", " ", StringComparison.Ordinal);
        var position = 0;
        var any = false;
        while (position < text.Length)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
            if (position >= text.Length) break;
            var opStart = position;
            while (position < text.Length && text[position] is '<' or '>' or '=' or '!' or '~' or '^') position++;
            var op = text[opStart..position];
            while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
            var versionStart = position;
            while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] is not ('<' or '>' or '=' or '!')) position++;
            if (!TryParseVersion(text[versionStart..position], out var bound))
            {
                error = $"invalid agent_version constraint `{constraint}`";
                return false;
            }
            any = true;
            var comparison = agentVersion.CompareTo(bound);
            var ok = op switch
            {
                ">=" => comparison >= 0,
                ">" => comparison > 0,
                "<=" => comparison <= 0,
                "<" => comparison < 0,
                "" or "=" or "==" => comparison == 0,
                "!=" => comparison != 0,
                _ => false,
            };
            if (op is not (">=" or ">" or "<=" or "<" or "" or "=" or "==" or "!="))
            {
                error = $"invalid agent_version operator `{op}` in `{constraint}`";
                return false;
            }
            if (!ok) return false;
        }
        if (!any) error = $"invalid agent_version constraint `{constraint}`";
        return any;
    }
}
