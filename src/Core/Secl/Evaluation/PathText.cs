using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>Character scans over paths that the path index needs for every path it is offered.</summary>
internal static class PathText
{
    /// <summary>Bit i set when <c>text[i]</c> is '/', for a text of at most 64 characters: eight characters per vector compare.</summary>
    public static ulong SlashPositions(ReadOnlySpan<char> text)
    {
        if (text.Length > 64) throw new ArgumentOutOfRangeException(nameof(text), "at most 64 characters");
        var chars = MemoryMarshal.Cast<char, ushort>(text);
        var width = Vector128<ushort>.Count;
        ulong mask = 0;
        if (chars.Length < width)
        {
            for (var i = 0; i < chars.Length; i++) mask |= (chars[i] == '/' ? 1UL : 0) << i;
            return mask;
        }
        var slash = Vector128.Create((ushort)'/');
        var start = 0;
        for (; start + width <= chars.Length; start += width) mask |= Slashes(chars, start, slash);
        // The last few characters: one more compare, overlapping characters already seen (their bits are the same).
        if (start < chars.Length) mask |= Slashes(chars, chars.Length - width, slash);
        return mask;
    }

    private static ulong Slashes(ReadOnlySpan<ushort> chars, int start, Vector128<ushort> slash) =>
        (ulong)Vector128.Equals(Vector128.Create(chars.Slice(start, Vector128<ushort>.Count)), slash).ExtractMostSignificantBits() << start;
}
