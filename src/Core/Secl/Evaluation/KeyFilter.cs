namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// A two-word pre-check before hashing a value: does any key have this length (up to 63) and this
/// first character (folded to 64 buckets)? Most event values fail it, which saves the hash lookup.
/// </summary>
internal readonly struct KeyFilter
{
    private readonly ulong _lengths;
    private readonly ulong _firstChars;

    private KeyFilter(ulong lengths, ulong firstChars)
    {
        _lengths = lengths;
        _firstChars = firstChars;
    }

    public static KeyFilter Create(IEnumerable<string> keys, bool ignoreCase)
    {
        ulong lengths = 0, firstChars = 0;
        foreach (var key in keys)
        {
            lengths |= LengthBit(key.Length);
            if (key.Length == 0) continue;
            firstChars |= CharBit(key[0]);
            if (ignoreCase) firstChars |= CharBit(char.ToUpperInvariant(key[0])) | CharBit(char.ToLowerInvariant(key[0]));
        }
        return new KeyFilter(lengths, firstChars);
    }

    private static ulong LengthBit(int length) => 1UL << Math.Min(length, 63); // 63 stands for "63 or more"

    private static ulong CharBit(char c) => 1UL << (c & 63);

    public bool MayContain(ReadOnlySpan<char> value) =>
        (_lengths & LengthBit(value.Length)) != 0 && (value.Length == 0 || (_firstChars & CharBit(value[0])) != 0);
}
