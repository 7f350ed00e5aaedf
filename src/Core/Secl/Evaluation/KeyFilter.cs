namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// A pre-check before hashing a value: does any key have this length (up to 63), this first and this
/// last character (folded to 64 buckets), and — in a 1,024-bit table — this combination of length, first,
/// middle and last character? Most event values fail it, which saves the hash lookup. It never rejects a
/// key: case-insensitive keys are folded, and a non-ASCII character where folding matters skips the table.
/// </summary>
internal readonly struct KeyFilter
{
    private const int TableBits = 1024;

    private readonly ulong _lengths;
    private readonly ulong _firstChars;
    private readonly ulong _lastChars;
    private readonly ulong[]? _combinations;
    private readonly bool _ignoreCase;

    // The keys' first characters, exactly for ASCII (bit c of the pair), for the one-character check of an affix index.
    private readonly ulong _asciiFirstLow;
    private readonly ulong _asciiFirstHigh;
    private readonly bool _anyFirstBeyondAscii;

    private KeyFilter(ulong lengths, ulong firstChars, ulong lastChars, ulong[]? combinations, bool ignoreCase, (ulong Low, ulong High, bool Beyond) asciiFirst)
    {
        _lengths = lengths;
        _firstChars = firstChars;
        _lastChars = lastChars;
        _combinations = combinations;
        _ignoreCase = ignoreCase;
        (_asciiFirstLow, _asciiFirstHigh, _anyFirstBeyondAscii) = asciiFirst;
    }

    public static KeyFilter Create(IEnumerable<string> keys, bool ignoreCase)
    {
        ulong lengths = 0, firstChars = 0, lastChars = 0;
        (ulong Low, ulong High, bool Beyond) asciiFirst = default;
        var combinations = new ulong[TableBits / 64];
        foreach (var key in keys)
        {
            lengths |= LengthBit(key.Length);
            if (key.Length == 0) continue;
            firstChars |= Bits(key[0], ignoreCase);
            lastChars |= Bits(key[^1], ignoreCase);
            foreach (var c in ignoreCase ? [key[0], char.ToUpperInvariant(key[0]), char.ToLowerInvariant(key[0])] : new[] { key[0] })
            {
                if (c >= 128) asciiFirst.Beyond = true;
                else if (c < 64) asciiFirst.Low |= 1UL << c;
                else asciiFirst.High |= 1UL << (c - 64);
            }
            if (combinations is not null && Combination(key, ignoreCase) is int slot) combinations[slot >> 6] |= 1UL << slot;
            else combinations = null; // a key the table cannot fold: rely on the other checks only
        }
        return new KeyFilter(lengths, firstChars, lastChars, combinations, ignoreCase, asciiFirst);
    }

    private static ulong LengthBit(int length) => 1UL << Math.Min(length, 63); // 63 stands for "63 or more"

    private static ulong CharBit(char c) => 1UL << (c & 63);

    private static ulong Bits(char c, bool ignoreCase) =>
        ignoreCase ? CharBit(c) | CharBit(char.ToUpperInvariant(c)) | CharBit(char.ToLowerInvariant(c)) : CharBit(c);

    /// <summary>Slot of (length, first, middle, last character) in the table; null when a case-insensitive character is not ASCII.</summary>
    private static int? Combination(ReadOnlySpan<char> value, bool ignoreCase) =>
        Combination(value.Length, value[0], value[value.Length / 2], value[^1], ignoreCase);

    private static int? Combination(int length, uint first, uint middle, uint last, bool ignoreCase)
    {
        if (ignoreCase)
        {
            if ((first | middle | last) >= 128) return null;
            first = Lower(first);
            middle = Lower(middle);
            last = Lower(last);
        }
        var hash = (uint)length * 0x9E3779B1u ^ first * 0x85EBCA6Bu ^ (middle + 0x9E37u) * 0xC2B2AE35u ^ (last + 0x7F4Au) * 0x27D4EB2Fu;
        hash ^= hash >> 15;
        hash *= 0x2C1B3C6Du;
        return (int)(hash >> 22); // 10 bits: 0 .. 1023
    }

    private static uint Lower(uint c) => c - 'A' <= 'Z' - 'A' ? c | 0x20 : c;

    public bool MayContain(ReadOnlySpan<char> value)
    {
        if ((_lengths & LengthBit(value.Length)) == 0) return false;
        if (value.Length == 0) return true;
        if ((_firstChars & CharBit(value[0])) == 0 || (_lastChars & CharBit(value[^1])) == 0) return false;
        if (_combinations is null || Combination(value, _ignoreCase) is not int slot) return true;
        return (_combinations[slot >> 6] & (1UL << slot)) != 0;
    }

    /// <summary>The same check from a stored value's summary, without reading the string (read only when the summary is incomplete).</summary>
    public bool MayContain(string value, SeclTextSummary summary) => summary.IsComplete ? MayContain(summary) : MayContain(value.AsSpan());

    /// <summary>Could a one-character key be this character? The first check of a prefix (suffix) index, whose keys here are the first (last) characters.</summary>
    public bool MayContain(char c) =>
        c >= 128 ? _anyFirstBeyondAscii // ordinal case folding never pairs a character outside ASCII with an ASCII one
            : ((c < 64 ? _asciiFirstLow >> c : _asciiFirstHigh >> (c - 64)) & 1) != 0;

    private bool MayContain(SeclTextSummary summary)
    {
        var length = summary.Length;
        if ((_lengths & LengthBit(length)) == 0) return false;
        if (length == 0) return true;
        if ((_firstChars & CharBit(summary.First)) == 0 || (_lastChars & CharBit(summary.Last)) == 0) return false;
        if (_combinations is null || Combination(length, summary.First, summary.Middle, summary.Last, _ignoreCase) is not int slot) return true;
        return (_combinations[slot >> 6] & (1UL << slot)) != 0;
    }
}
