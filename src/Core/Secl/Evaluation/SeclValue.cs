using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// A stored field value: one scalar or one array, never boxed on read. Kept to 16 bytes (a reference
/// and 64 bits) so that an event's values stay in a few cache lines. The 64 bits hold a number or a
/// bool; for a string they hold its <see cref="SeclTextSummary"/>, whose top bit says "string"
/// without reading the object; for a list of strings, its <see cref="SeclCharSet"/>.
/// </summary>
public readonly struct SeclValue
{
    private readonly object? _reference;
    private readonly long _bits;

    public SeclValue(string value) { _reference = value; _bits = (long)SeclTextSummary.Of(value).Bits; }
    public SeclValue(long value) { _bits = value; }
    public SeclValue(bool value) { _bits = value ? 1 : 0; }
    public SeclValue(IpNetwork value) { _reference = new IpBox(value); }
    public SeclValue(string[] values) { _reference = values; _bits = (long)SeclCharSet.Of(values); }
    public SeclValue(long[] values) { _reference = values; }
    public SeclValue(IpNetwork[] values) { _reference = values; }

    /// <summary>The string value, recognised by its summary's tag (no type check on the object, which may not be in cache).</summary>
    public string? Text => _reference is not null && _bits < 0 ? Unsafe.As<string>(_reference) : null;

    /// <summary>The number or bool (1/0) value; 0 for other values.</summary>
    public long Number => _reference is null ? _bits : 0;

    /// <summary>Length and first, middle and last characters of <see cref="Text"/> (only meaningful for a string).</summary>
    internal SeclTextSummary TextSummary => new((ulong)_bits);

    /// <summary>The <see cref="SeclCharSet"/> of <see cref="Texts"/> (only meaningful for a list of strings).</summary>
    internal ulong TextsCharSet => (ulong)_bits;
    public IpNetwork Ip => _reference is IpBox box ? box.Value : default;
    public string[]? Texts => _reference as string[];
    public long[]? Numbers => _reference as long[];
    public IpNetwork[]? Ips => _reference as IpNetwork[];

    /// <summary>Holds a scalar address by reference (allocated when the event is filled, not when it is read).</summary>
    private sealed class IpBox(IpNetwork value)
    {
        public IpNetwork Value { get; } = value;
    }
}

/// <summary>Field values of one node: the event itself, or one element of an iterator (an ancestor).</summary>
public class SeclValueBag
{
    // Two parallel arrays instead of a dictionary: an event holds a few dozen values, and a
    // vectorised scan of a small int array touches fewer cache lines than hashing does.
    private int[] _keys;
    private SeclValue[] _values;
    private int _count;
    private Dictionary<int, SeclValue>? _derived;

    // One bit per storage id modulo 64: a field whose bit is clear is absent without scanning the keys
    // (many probed fields are absent from a given event: a rule set reads more fields than any event has).
    private ulong _present;

    /// <param name="capacity">Values before the arrays grow: an event holds a few dozen, an ancestor a few.
    /// Sized to need, an event's objects stay small and contiguous, so fewer cache lines are read on a stream of fresh events.</param>
    private protected SeclValueBag(int capacity)
    {
        _keys = new int[capacity];
        _values = new SeclValue[capacity];
    }

    /// <summary>
    /// Prefetches the lines of the keys and of the values held (see <see cref="SeclEvent.Prefetch"/>). The addresses
    /// are only hints: an object the collector moves in between is prefetched at its old place, which costs nothing.
    /// </summary>
    private protected unsafe void PrefetchStorage()
    {
        Sse.Prefetch0(Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_keys)));
        var values = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_values));
        var bytes = _count * Unsafe.SizeOf<SeclValue>();
        for (var offset = 0; offset < bytes; offset += 64) Sse.Prefetch0(values + offset);
    }

    private bool MayHave(int storageId) => (_present & (1UL << storageId)) != 0; // shift counts are taken modulo 64

    internal bool TryGet(int storageId, out SeclValue value)
    {
        if (!MayHave(storageId))
        {
            value = default;
            return false;
        }
        var index = _keys.AsSpan(0, _count).IndexOf(storageId);
        if (index < 0)
        {
            value = default;
            return false;
        }
        value = _values[index];
        return true;
    }

    /// <summary>
    /// As <see cref="TryGet(int, out SeclValue)"/>, first trying the slot where the field was last
    /// found: events of one type are filled in the same order, so the guess nearly always holds.
    /// </summary>
    internal bool TryGet(int storageId, ref int slotHint, out SeclValue value)
    {
        var hint = slotHint;
        if (!MayHave(storageId))
        {
            value = default;
            return false;
        }
        if ((uint)hint < (uint)_count && _keys[hint] == storageId)
        {
            value = _values[hint];
            return true;
        }
        var index = _keys.AsSpan(0, _count).IndexOf(storageId);
        if (index < 0)
        {
            value = default;
            return false;
        }
        slotHint = index;
        value = _values[index];
        return true;
    }

    internal void Put(int storageId, SeclValue value)
    {
        var index = MayHave(storageId) ? _keys.AsSpan(0, _count).IndexOf(storageId) : -1; // a new field needs no scan
        if (index < 0)
        {
            if (_count == _keys.Length)
            {
                Array.Resize(ref _keys, _count * 2);
                Array.Resize(ref _values, _count * 2);
            }
            index = _count++;
            _keys[index] = storageId;
            _present |= 1UL << storageId;
        }
        _values[index] = value;
        _derived?.Clear(); // derived values (args, flags) depend on stored ones
    }

    /// <summary>Computed values (args from argv ...) cached for the life of the event.</summary>
    internal bool TryGetDerived(int fieldId, out SeclValue value)
    {
        if (_derived is not null) return _derived.TryGetValue(fieldId, out value);
        value = default;
        return false;
    }

    internal void PutDerived(int fieldId, SeclValue value) => (_derived ??= [])[fieldId] = value;

    /// <summary>Drops cached computed values (what a new event from the agent would start with).</summary>
    public void ClearDerived() => _derived?.Clear();

    public void Clear()
    {
        Array.Clear(_values, 0, _count);
        _count = 0;
        _present = 0;
        _derived?.Clear();
    }
}
