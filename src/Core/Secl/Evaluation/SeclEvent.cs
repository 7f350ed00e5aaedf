using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// The event the evaluator reads: an event type, field values keyed by field id, and iterator
/// elements (ancestors, flows). Filled once by the agent (or the JSON reader);
/// reading it allocates nothing. Values that are derived (args, rights, lengths) are computed from
/// what is stored and never need to be filled.
/// </summary>
public sealed class SeclEvent : SeclValueBag
{
    // Per iterator, its elements in an array and their count: two references from the event to an
    // element, not three as with a List. The first iterator (process.ancestors, the one nearly every
    // event has) is kept in the event object itself; the others in an array allocated with their
    // first element, so an event stays small and an ancestor is one reference closer.
    private ElementList _firstIterator;
    private ElementList[]? _otherIterators;

    private struct ElementList
    {
        public SeclValueBag[]? Items;
        public int Count;
    }

    private const int InitialCapacity = 16;

    public SeclEvent(string eventType, SeclFieldCatalog? catalog = null) : base(InitialCapacity)
    {
        EventType = eventType;
        Catalog = catalog ?? SeclFieldCatalog.Linux;
    }

    public SeclFieldCatalog Catalog { get; }

    public string EventType { get; set; }

    /// <summary>Event time in Unix nanoseconds; durations compare against it ("age of"). 0 means "now".</summary>
    public long TimestampNanoseconds { get; set; }

    public SeclEvent Set(string field, string value) => Put(field, new SeclValue(value), SeclValueType.String, false);
    public SeclEvent Set(string field, long value) => Put(field, new SeclValue(value), SeclValueType.Int, false);
    public SeclEvent Set(string field, bool value) => Put(field, new SeclValue(value), SeclValueType.Bool, false);
    public SeclEvent Set(string field, IpNetwork value) => Put(field, new SeclValue(value), SeclValueType.Ip, false);
    public SeclEvent Set(string field, string[] values) => Put(field, new SeclValue(values), SeclValueType.String, true);
    public SeclEvent Set(string field, long[] values) => Put(field, new SeclValue(values), SeclValueType.Int, true);
    public SeclEvent Set(string field, IpNetwork[] values) => Put(field, new SeclValue(values), SeclValueType.Ip, true);

    // The same with the field resolved once (Catalog.TryGetField) by a caller that fills many events: no name lookup per value.
    public SeclEvent Set(SeclField field, string value) => Put(field, new SeclValue(value), SeclValueType.String, false);
    public SeclEvent Set(SeclField field, long value) => Put(field, new SeclValue(value), SeclValueType.Int, false);
    public SeclEvent Set(SeclField field, bool value) => Put(field, new SeclValue(value), SeclValueType.Bool, false);
    public SeclEvent Set(SeclField field, IpNetwork value) => Put(field, new SeclValue(value), SeclValueType.Ip, false);
    public SeclEvent Set(SeclField field, string[] values) => Put(field, new SeclValue(values), SeclValueType.String, true);

    /// <summary>
    /// Sets a field from a loosely typed value (string, integer, bool, arrays, IP text for IP fields,
    /// constant names for integer fields). Used by the JSON reader and tests; the agent uses the typed setters.
    /// </summary>
    public SeclEvent SetValue(string name, object value)
    {
        var field = Lookup(name);
        if (field.Iterator is not null) throw new ArgumentException($"field `{name}` is iterated: add it to an element of `{field.Iterator}`", nameof(name));
        return Put(field, SeclValueConverter.Convert(field, value), field.Type, field.IsList);
    }

    /// <summary>Sets a field by its SECL name; for iterated fields (process.ancestors.*) use <see cref="AddElement"/>.</summary>
    private SeclEvent Put(string name, SeclValue value, SeclValueType type, bool list) => Put(Lookup(name), value, type, list);

    private SeclEvent Put(SeclField field, SeclValue value, SeclValueType type, bool list)
    {
        Check(field, type, list);
        if (field.Iterator is not null) throw new ArgumentException($"field `{field.Name}` is iterated: add it to an element of `{field.Iterator}`", nameof(field));
        Put(field.StorageId, value);
        return this;
    }

    internal SeclField Lookup(string name) =>
        Catalog.TryGetField(name, out var field) ? field : throw new ArgumentException($"field `{name}` not found", nameof(name));

    /// <summary>The field is one of this event's catalog, stored (not computed), and of the value's type.</summary>
    internal void Check(SeclField field, SeclValueType type, bool list)
    {
        if (!Catalog.Owns(field))
            throw new ArgumentException($"field `{field.Name}` is not a field of this event's catalog", nameof(field));
        if (field.Derivation is not (SeclFieldDerivation.Stored or SeclFieldDerivation.Alias))
            throw new ArgumentException($"field `{field.Name}` is computed from `{field.SourceField}`", nameof(field));
        if (field.Type != type || field.IsList != list)
            throw new ArgumentException($"field `{field.Name}` is {field.Type}{(field.IsList ? "[]" : "")}", nameof(field));
    }

    /// <summary>Adds an element (an ancestor, a flow) to an iterator and returns it for filling.</summary>
    /// <remarks>After <see cref="Reset"/>, the elements of the previous event are emptied and handed out again.</remarks>
    public SeclElement AddElement(string iterator)
    {
        var id = Catalog.GetIteratorId(iterator);
        ref var list = ref WritableList(id);
        if (list.Items is not null && list.Count < list.Items.Length && list.Items[list.Count] is SeclElement reused)
        {
            reused.Clear();
            list.Count++;
            return reused;
        }
        var element = new SeclElement(this, iterator);
        if (list.Items is null || list.Count == list.Items.Length) Array.Resize(ref list.Items, Math.Max(4, list.Count * 2));
        list.Items[list.Count++] = element;
        return element;
    }

    private ref ElementList WritableList(int iteratorId)
    {
        if (iteratorId == 0) return ref _firstIterator;
        if (_otherIterators is null || iteratorId > _otherIterators.Length) Array.Resize(ref _otherIterators, iteratorId);
        return ref _otherIterators[iteratorId - 1];
    }

    /// <summary>
    /// Asks the processor for the lines the evaluator reads first: the event's keys and values and its ancestors'
    /// array. On an event that is not in cache their misses then overlap instead of following one another.
    /// </summary>
    internal unsafe void Prefetch()
    {
        if (!Sse.IsSupported) return;
        PrefetchStorage();
        if (_firstIterator.Items is { } items) Sse.Prefetch0(Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(items)));
    }

    internal int ElementCount(int iteratorId) => iteratorId == 0 ? _firstIterator.Count
        : _otherIterators is { } lists && (uint)(iteratorId - 1) < (uint)lists.Length ? lists[iteratorId - 1].Count : 0;

    internal SeclValueBag Element(int iteratorId, int index)
    {
        if ((uint)index >= (uint)ElementCount(iteratorId)) throw new ArgumentOutOfRangeException(nameof(index));
        return iteratorId == 0 ? _firstIterator.Items![index] : _otherIterators![iteratorId - 1].Items![index];
    }

    /// <summary>Drops computed values of the event and its elements.</summary>
    public void ClearAllDerived()
    {
        ClearDerived();
        ClearDerived(_firstIterator);
        foreach (var list in _otherIterators ?? []) ClearDerived(list);
    }

    /// <summary>Clears values and elements so an agent can reuse the event object (its element objects too, see <see cref="AddElement"/>).</summary>
    public void Reset(string eventType)
    {
        Clear();
        Empty(ref _firstIterator);
        for (var i = 0; i < (_otherIterators?.Length ?? 0); i++) Empty(ref _otherIterators![i]);
        EventType = eventType;
        TimestampNanoseconds = 0;
    }

    private static void ClearDerived(ElementList list)
    {
        for (var i = 0; i < list.Count; i++) list.Items![i].ClearDerived();
    }

    // The element objects stay in the array, to be emptied and reused by AddElement.
    private static void Empty(ref ElementList list) => list.Count = 0;
}

/// <summary>One element of an iterator; fields are set with their full SECL name (process.ancestors.file.name).</summary>
public sealed class SeclElement(SeclEvent owner, string iterator) : SeclValueBag(InitialCapacity)
{
    private const int InitialCapacity = 4;

    public SeclElement Set(string field, string value) => Put(field, new SeclValue(value), SeclValueType.String, false);
    public SeclElement Set(string field, long value) => Put(field, new SeclValue(value), SeclValueType.Int, false);
    public SeclElement Set(string field, bool value) => Put(field, new SeclValue(value), SeclValueType.Bool, false);
    public SeclElement Set(string field, IpNetwork value) => Put(field, new SeclValue(value), SeclValueType.Ip, false);
    public SeclElement Set(string field, string[] values) => Put(field, new SeclValue(values), SeclValueType.String, true);
    public SeclElement Set(string field, long[] values) => Put(field, new SeclValue(values), SeclValueType.Int, true);
    public SeclElement Set(SeclField field, string value) => Put(field, new SeclValue(value), SeclValueType.String, false);
    public SeclElement Set(SeclField field, long value) => Put(field, new SeclValue(value), SeclValueType.Int, false);

    public SeclElement SetValue(string name, object value)
    {
        var field = owner.Lookup(name);
        return Put(field, SeclValueConverter.Convert(field, value), field.Type, field.IsList);
    }

    private SeclElement Put(string name, SeclValue value, SeclValueType type, bool list) => Put(owner.Lookup(name), value, type, list);

    private SeclElement Put(SeclField field, SeclValue value, SeclValueType type, bool list)
    {
        owner.Check(field, type, list);
        if (field.Iterator != iterator) throw new ArgumentException($"field `{field.Name}` is not part of `{iterator}`", nameof(field));
        Put(field.StorageId, value);
        return this;
    }
}
