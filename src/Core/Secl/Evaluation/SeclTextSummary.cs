namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// 64 bits that describe a stored string: its length and its first, middle and last characters,
/// computed once when the event is filled (the string is in cache then). <see cref="KeyFilter"/>
/// rejects most event values from these bits alone, so the evaluator does not read the string, a
/// cache miss per value on a stream of fresh events. The top bit marks a string inside
/// <see cref="SeclValue"/>; a string longer than <see cref="MaxLength"/> has no complete summary
/// and is read as before.
/// </summary>
internal readonly struct SeclTextSummary(ulong bits)
{
    public const ulong TextTag = 1UL << 63;
    private const ulong CompleteFlag = 1UL << 62;
    public const int MaxLength = (1 << 14) - 1;

    public ulong Bits => bits;

    public bool IsComplete => (bits & CompleteFlag) != 0;

    public int Length => (int)(bits >> 48) & MaxLength;

    public char First => (char)bits;

    public char Middle => (char)(bits >> 16);

    public char Last => (char)(bits >> 32);

    public static SeclTextSummary Of(string value)
    {
        if (value.Length > MaxLength) return new(TextTag);
        if (value.Length == 0) return new(TextTag | CompleteFlag);
        return Of(value.Length, value[0], value[value.Length / 2], value[^1]);
    }

    private static SeclTextSummary Of(int length, char first, char middle, char last) =>
        new(TextTag | CompleteFlag | (ulong)length << 48 | (ulong)last << 32 | (ulong)middle << 16 | first);
}
