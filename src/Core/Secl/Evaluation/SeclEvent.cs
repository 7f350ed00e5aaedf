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
    private readonly List<SeclValueBag>?[] _iterators;

    public SeclEvent(string eventType, SeclFieldCatalog? catalog = null)
    {
        EventType = eventType;
        Catalog = catalog ?? SeclFieldCatalog.Linux;
        _iterators = new List<SeclValueBag>?[Catalog.IteratorNames.Count];
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

    /// <summary>
    /// Sets a field from a loosely typed value (string, integer, bool, arrays, IP text for IP fields,
    /// constant names for integer fields). Used by the JSON reader and tests; the agent uses the typed setters.
    /// </summary>
    public SeclEvent SetValue(string name, object value)
    {
        if (!Catalog.TryGetField(name, out var field)) throw new ArgumentException($"field `{name}` not found", nameof(name));
        if (field.Iterator is not null) throw new ArgumentException($"field `{name}` is iterated: add it to an element of `{field.Iterator}`", nameof(name));
        Put(Resolve(name, field.Type, field.IsList).StorageId, SeclValueConverter.Convert(field, value));
        return this;
    }

    /// <summary>Sets a field by its SECL name; for iterated fields (process.ancestors.*) use <see cref="AddElement"/>.</summary>
    private SeclEvent Put(string name, SeclValue value, SeclValueType type, bool list)
    {
        var field = Resolve(name, type, list);
        if (field.Iterator is not null) throw new ArgumentException($"field `{name}` is iterated: add it to an element of `{field.Iterator}`", nameof(name));
        Put(field.StorageId, value);
        return this;
    }

    internal SeclField Resolve(string name, SeclValueType type, bool list)
    {
        if (!Catalog.TryGetField(name, out var field)) throw new ArgumentException($"field `{name}` not found", nameof(name));
        if (field.Derivation is not (SeclFieldDerivation.Stored or SeclFieldDerivation.Alias))
            throw new ArgumentException($"field `{name}` is computed from `{field.SourceField}`", nameof(name));
        if (field.Type != type || field.IsList != list)
            throw new ArgumentException($"field `{name}` is {field.Type}{(field.IsList ? "[]" : "")}", nameof(name));
        return field;
    }

    /// <summary>Adds an element (an ancestor, a flow) to an iterator and returns it for filling.</summary>
    public SeclElement AddElement(string iterator)
    {
        var id = Catalog.GetIteratorId(iterator);
        var element = new SeclElement(this, iterator);
        (_iterators[id] ??= []).Add(element);
        return element;
    }

    internal int ElementCount(int iteratorId) => _iterators[iteratorId]?.Count ?? 0;

    internal SeclValueBag Element(int iteratorId, int index) => _iterators[iteratorId]![index];

    /// <summary>Drops computed values of the event and its elements.</summary>
    public void ClearAllDerived()
    {
        ClearDerived();
        foreach (var list in _iterators)
        {
            if (list is null) continue;
            foreach (var element in list) element.ClearDerived();
        }
    }

    /// <summary>Clears values and elements so an agent can reuse the event object.</summary>
    public void Reset(string eventType)
    {
        Clear();
        foreach (var list in _iterators) list?.Clear();
        EventType = eventType;
        TimestampNanoseconds = 0;
    }
}

/// <summary>One element of an iterator; fields are set with their full SECL name (process.ancestors.file.name).</summary>
public sealed class SeclElement(SeclEvent owner, string iterator) : SeclValueBag
{
    public SeclElement Set(string field, string value) => Put(field, new SeclValue(value), SeclValueType.String, false);
    public SeclElement Set(string field, long value) => Put(field, new SeclValue(value), SeclValueType.Int, false);
    public SeclElement Set(string field, bool value) => Put(field, new SeclValue(value), SeclValueType.Bool, false);
    public SeclElement Set(string field, IpNetwork value) => Put(field, new SeclValue(value), SeclValueType.Ip, false);
    public SeclElement Set(string field, string[] values) => Put(field, new SeclValue(values), SeclValueType.String, true);
    public SeclElement Set(string field, long[] values) => Put(field, new SeclValue(values), SeclValueType.Int, true);

    public SeclElement SetValue(string name, object value)
    {
        if (!owner.Catalog.TryGetField(name, out var field)) throw new ArgumentException($"field `{name}` not found", nameof(name));
        return Put(name, SeclValueConverter.Convert(field, value), field.Type, field.IsList);
    }

    private SeclElement Put(string name, SeclValue value, SeclValueType type, bool list)
    {
        var field = owner.Resolve(name, type, list);
        if (field.Iterator != iterator) throw new ArgumentException($"field `{name}` is not part of `{iterator}`", nameof(name));
        Put(field.StorageId, value);
        return this;
    }
}
