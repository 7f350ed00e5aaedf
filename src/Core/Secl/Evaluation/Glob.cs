namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// Datadog glob patterns. For path fields <c>*</c> stays inside one segment and <c>**</c> spans
/// segments; for other fields <c>*</c> matches any run of characters. Matching is linear-time
/// (greedy with one backtrack point per level) and allocation-free.
/// </summary>
public sealed class Glob
{
    private readonly string[] _segments;
    private readonly bool[] _doubleStar;
    private readonly bool _path;
    private readonly StringComparison _comparison;

    private enum Shape { General, Prefix, Suffix, Contains }

    private readonly Shape _shape;
    private readonly string _literal = "";

    /// <summary>The pattern's characters before its first wildcard: a value that does not start with them cannot match.</summary>
    private readonly string _head;

    /// <summary>The pattern's characters after its last wildcard: a value that does not end with them cannot match.</summary>
    private readonly string _tail;

    public Glob(string pattern, bool path, bool ignoreCase)
    {
        Pattern = pattern;
        _path = path;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        _segments = path ? pattern.Split('/') : [pattern];
        _doubleStar = [.. _segments.Select(segment => segment == "**")];
        var firstStar = pattern.IndexOf('*');
        // For paths, stop at the last '/' before the wildcard: "/home/**" also matches "/home" ("**" may be no segment).
        _head = firstStar < 0 ? pattern : path ? pattern[..Math.Max(0, pattern.LastIndexOf('/', firstStar))] : pattern[..firstStar];
        var lastStar = pattern.LastIndexOf('*');
        _tail = lastStar < 0 ? pattern : pattern[(lastStar + 1)..];
        // "**" may stand for no segment at all, and then the '/' after it for nothing: "**/b" matches "b".
        if (path && lastStar > 0 && pattern[lastStar - 1] == '*' && _tail.StartsWith('/')) _tail = _tail[1..];
        if (path) return;
        // Common shapes get a vectorised string search instead of the general matcher.
        var stars = pattern.Count(c => c == '*');
        if (stars == 1 && pattern.EndsWith('*')) (_shape, _literal) = (Shape.Prefix, pattern[..^1]);
        else if (stars == 1 && pattern.StartsWith('*')) (_shape, _literal) = (Shape.Suffix, pattern[1..]);
        else if (stars == 2 && pattern.Length > 2 && pattern.StartsWith('*') && pattern.EndsWith('*')) (_shape, _literal) = (Shape.Contains, pattern[1..^1]);
    }

    public string Pattern { get; }

    /// <summary>The literal of a <c>*literal*</c> glob on a non-path field, else null.</summary>
    public string? ContainsLiteral => _shape == Shape.Contains ? _literal : null;

    /// <summary>True when the pattern has no wildcard (then it is an exact comparison).</summary>
    public bool IsLiteral => !Pattern.Contains('*');

    public bool Matches(string value)
    {
        // Most values fail one of these, before any segment work (a path index hands over values under the pattern's directory).
        if (!value.StartsWith(_head, _comparison) || !value.EndsWith(_tail, _comparison)) return false;
        if (!_path)
        {
            return _shape switch
            {
                Shape.Prefix => value.StartsWith(_literal, _comparison),
                Shape.Suffix => value.EndsWith(_literal, _comparison),
                Shape.Contains => value.Contains(_literal, _comparison),
                _ => MatchSegment(_segments[0].AsSpan(), value.AsSpan()),
            };
        }

        // Greedy match over segments where "**" is the star; value segments found by scanning '/'.
        var p = 0;
        var v = 0; // char offset of the current value segment start
        int starP = -1, starV = -1;
        var length = value.Length;
        while (v <= length)
        {
            var end = NextSlash(value, v);
            var segment = value.AsSpan(v, end - v);
            if (p < _segments.Length && _doubleStar[p])
            {
                starP = p++;
                starV = v;
                continue;
            }
            if (p < _segments.Length && MatchSegment(_segments[p].AsSpan(), segment))
            {
                p++;
                if (end == length) { v = length + 1; break; }
                v = end + 1;
                continue;
            }
            if (starP < 0) return false;
            // Let "**" swallow one more value segment and retry.
            p = starP + 1;
            var next = NextSlash(value, starV);
            if (next == length) return p == _segments.Length;
            starV = next + 1;
            v = starV;
        }
        while (p < _segments.Length && _doubleStar[p]) p++;
        return p == _segments.Length;
    }

    /// <summary>Index of the next '/' at or after <paramref name="start"/>, or the length. Path segments are short: a plain loop beats a vectorised search's set-up.</summary>
    private static int NextSlash(string value, int start)
    {
        var i = start;
        while (i < value.Length && value[i] != '/') i++;
        return i;
    }

    private bool MatchSegment(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = t; continue; }
            if (p < pattern.Length && CharEquals(pattern[p], text[t])) { p++; t++; continue; }
            if (star < 0) return false;
            p = star + 1;
            t = ++mark;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    private bool CharEquals(char a, char b) =>
        a == b || (_comparison == StringComparison.OrdinalIgnoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
