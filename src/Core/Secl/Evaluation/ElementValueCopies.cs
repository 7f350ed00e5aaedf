namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// The stored values of an event's iterator elements (ancestors, flows), copied into the event as they are
/// set: keys are the field's storage id and the element's index, values are the same <see cref="SeclValue"/>s
/// the elements hold. The index finds an iterated field in every element with one scan of this array, and a
/// presence mask answers "no element has it" without reading anything else. Elements keep their own values
/// for everything else (full rule evaluation, derived fields).
/// </summary>
internal struct ElementValueCopies
{
    private const int ElementShift = 16;
    private const int StorageIdMask = (1 << ElementShift) - 1;

    private int[]? _keys;
    private SeclValue[]? _values;
    private int _count;
    private ulong _present;

    /// <summary>Set when an id or an index did not fit the key: readers must walk the elements instead.</summary>
    public bool IsIncomplete { get; private set; }

    public readonly int Count => _count;

    /// <summary>False when no element holds the field (one bit per storage id modulo 64, as in <see cref="SeclValueBag"/>).</summary>
    public readonly bool MayHave(int storageId) => (_present & (1UL << storageId)) != 0;

    public readonly int StorageIdAt(int index) => _keys![index] & StorageIdMask;

    public readonly SeclValue ValueAt(int index) => _values![index];

    public void Put(int storageId, int elementIndex, SeclValue value)
    {
        if ((uint)storageId > StorageIdMask || (uint)elementIndex > (uint)(int.MaxValue >> ElementShift))
        {
            IsIncomplete = true;
            return;
        }
        var key = storageId | elementIndex << ElementShift;
        var index = _keys is null ? -1 : _keys.AsSpan(0, _count).IndexOf(key);
        if (index < 0)
        {
            if (_keys is null || _count == _keys.Length)
            {
                var capacity = Math.Max(4, _count * 2);
                Array.Resize(ref _keys, capacity);
                Array.Resize(ref _values, capacity);
            }
            index = _count++;
            _keys[index] = key;
            _present |= 1UL << storageId;
        }
        _values![index] = value;
    }

    public void Clear()
    {
        if (_values is not null) Array.Clear(_values, 0, _count);
        _count = 0;
        _present = 0;
        IsIncomplete = false;
    }
}
