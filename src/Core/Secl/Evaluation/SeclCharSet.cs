namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// The characters that occur in a list of strings (argv, env names), folded into 63 bits and computed
/// when the list is stored. A key (an exact value, a prefix, a needle) can only be equal to, start or
/// be found in an element if all its characters occur in the list, so the index rejects most lists
/// from these bits alone, without reading the array or its strings. Letters are folded to one bit per
/// letter whatever the case; a list with a character outside ASCII gets every bit (it is read as
/// before), and so does a key with one: case-insensitive comparison can match it to an ASCII one.
/// </summary>
internal static class SeclCharSet
{
    /// <summary>Every bit: "anything may occur". The top bit stays clear (it tags a string in <see cref="SeclValue"/>).</summary>
    public const ulong All = (1UL << 63) - 1;

    private static readonly byte[] Classes = BuildClasses();

    public static ulong Of(string[] values)
    {
        ulong set = 0;
        foreach (var value in values)
        {
            if (value is null) continue;
            foreach (var c in value)
            {
                if (c >= 128) return All;
                set |= 1UL << Classes[c];
            }
        }
        return set;
    }

    /// <summary>The characters a key needs; 0 (needs nothing, always passes) when it has a character outside ASCII.</summary>
    public static ulong OfKey(string key)
    {
        ulong set = 0;
        foreach (var c in key)
        {
            if (c >= 128) return 0;
            set |= 1UL << Classes[c];
        }
        return set;
    }

    /// <summary>
    /// The key sets <see cref="AnyKeyMayOccur"/> needs: a key whose characters include all of another key's can only
    /// occur where that other key may, so it adds nothing to the check and is left out.
    /// </summary>
    public static ulong[] Minimal(IEnumerable<ulong> keys)
    {
        var distinct = keys.Distinct().ToArray();
        return [.. distinct.Where(key => !distinct.Any(other => other != key && (other & ~key) == 0))];
    }

    /// <summary>Could some key occur in a list with this set? True when every character of one key is in it.</summary>
    public static bool AnyKeyMayOccur(ulong[] keys, ulong set)
    {
        foreach (var key in keys)
        {
            if ((key & ~set) == 0) return true;
        }
        return false;
    }

    /// <summary>a–z and A–Z share 26 bits, digits take 10, the other ASCII characters share the remaining 27.</summary>
    private static byte[] BuildClasses()
    {
        var classes = new byte[128];
        var other = 0;
        for (var c = 0; c < 128; c++)
        {
            classes[c] = c switch
            {
                >= 'a' and <= 'z' => (byte)(c - 'a'),
                >= 'A' and <= 'Z' => (byte)(c - 'A'),
                >= '0' and <= '9' => (byte)(26 + c - '0'),
                _ => (byte)(36 + other++ % 27),
            };
        }
        return classes;
    }
}
