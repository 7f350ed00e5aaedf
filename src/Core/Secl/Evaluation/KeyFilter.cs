namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// A three-word pre-check before hashing a value: does any key have this length (up to 63), this
/// first and this last character (folded to 64 buckets)? Most event values fail it, which saves the hash lookup.
/// </summary>
internal readonly struct KeyFilter
{
    private readonly ulong _lengths;
    private readonly ulong _firstChars;
    private readonly ulong _lastChars;

    private KeyFilter(ulong lengths, ulong firstChars, ulong lastChars)
    {
        _lengths = lengths;
        _firstChars = firstChars;
        _lastChars = lastChars;
    }

    public static KeyFilter Create(IEnumerable<string> keys, bool ignoreCase)
    {
        ulong lengths = 0, firstChars = 0, lastChars = 0;
        foreach (var key in keys)
        {
            lengths |= LengthBit(key.Length);
            if (key.Length == 0) continue;
            firstChars |= Bits(key[0], ignoreCase);
            lastChars |= Bits(key[^1], ignoreCase);
        }
        return new KeyFilter(lengths, firstChars, lastChars);
    }

    private static ulong LengthBit(int length) => 1UL << Math.Min(length, 63); // 63 stands for "63 or more"

    private static ulong CharBit(char c) => 1UL << (c & 63);

    private static ulong Bits(char c, bool ignoreCase) =>
        ignoreCase ? CharBit(c) | CharBit(char.ToUpperInvariant(c)) | CharBit(char.ToLowerInvariant(c)) : CharBit(c);

    public bool MayContain(ReadOnlySpan<char> value) =>
        (_lengths & LengthBit(value.Length)) != 0
        && (value.Length == 0 || ((_firstChars & CharBit(value[0])) != 0 && (_lastChars & CharBit(value[^1])) != 0));
}
