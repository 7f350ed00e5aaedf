namespace Vigil.Core.Query;

/// <summary>
/// A compiled wildcard pattern: '*' matches any run of characters (also none), '?' exactly one; a
/// backslash makes the next character literal. Matching is case-insensitive (invariant upper-casing),
/// allocation-free and linear in practice (greedy with one backtrack point per star).
/// </summary>
public sealed class WildcardPattern
{
    private const byte Literal = 0;
    private const byte AnyRun = 1;
    private const byte AnyOne = 2;

    private readonly char[] _chars;
    private readonly byte[] _kinds;

    private WildcardPattern(char[] chars, byte[] kinds)
    {
        _chars = chars;
        _kinds = kinds;
    }

    /// <summary>Compiles a pattern written with escapes, as it appears in a query.</summary>
    public static WildcardPattern Compile(string raw)
    {
        var chars = new List<char>(raw.Length);
        var kinds = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\' && i + 1 < raw.Length)
            {
                chars.Add(raw[++i]);
                kinds.Add(Literal);
            }
            else if (c == '*')
            {
                if (kinds.Count == 0 || kinds[^1] != AnyRun)
                {
                    chars.Add('*');
                    kinds.Add(AnyRun);
                }
            }
            else
            {
                chars.Add(c);
                kinds.Add(c == '?' ? AnyOne : Literal);
            }
        }

        return new WildcardPattern([.. chars], [.. kinds]);
    }

    /// <summary>True when <paramref name="raw"/> has an unescaped '*' or '?'.</summary>
    public static bool HasWildcards(string raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            switch (raw[i])
            {
                case '\\':
                    i++;
                    break;
                case '*' or '?':
                    return true;
            }
        }

        return false;
    }

    public bool IsMatch(ReadOnlySpan<char> input)
    {
        var n = _kinds.Length;
        int p = 0, s = 0, starP = -1, starS = 0;
        while (s < input.Length)
        {
            if (p < n && (_kinds[p] == AnyOne || (_kinds[p] == Literal && SameLetter(_chars[p], input[s]))))
            {
                p++;
                s++;
            }
            else if (p < n && _kinds[p] == AnyRun)
            {
                starP = p++;
                starS = s;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                s = ++starS;
            }
            else
            {
                return false;
            }
        }

        while (p < n && _kinds[p] == AnyRun)
        {
            p++;
        }

        return p == n;
    }

    internal static bool SameLetter(char a, char b) => a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
