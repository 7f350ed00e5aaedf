using System.Collections.Frozen;

namespace Vigil.Core.Secl.Model;

/// <summary>
/// The field registry built once from <see cref="SeclModelDefinition"/>: names to typed fields with
/// dense ids, event types, iterators. Immutable and shared.
/// </summary>
public sealed class SeclFieldCatalog
{
    private readonly FrozenDictionary<string, SeclField> _byName;
    private readonly SeclField[] _fields;
    private readonly FrozenDictionary<string, int> _iterators;

    public static SeclFieldCatalog Linux { get; } = new(SeclModelDefinition.Fields(), SeclModelDefinition.EventTypes);

    public SeclFieldCatalog(IEnumerable<SeclModelDefinition.FieldSpec> specs, IEnumerable<SeclEventType> eventTypes)
    {
        var ordered = new List<(SeclModelDefinition.FieldSpec Spec, List<string> EventTypes)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (index.TryGetValue(spec.Name, out var existing))
            {
                if (!ordered[existing].EventTypes.Contains(spec.EventType)) ordered[existing].EventTypes.Add(spec.EventType);
                continue;
            }
            index[spec.Name] = ordered.Count;
            ordered.Add((spec, [spec.EventType]));
        }

        var fields = new SeclField[ordered.Count];
        for (var i = 0; i < ordered.Count; i++)
        {
            var (s, types) = ordered[i];
            fields[i] = new SeclField(i, s.Name, types.ToArray(), s.Type, s.Flags, s.Iterator, s.Constants, s.JsonPath, s.Derivation, s.Source);
        }
        _byName = fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

        // Resolve sources; an alias takes the type and flags of what it names.
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            if (field.SourceField is null || !_byName.TryGetValue(field.SourceField, out var source)) continue;
            if (field.Derivation == SeclFieldDerivation.Alias)
            {
                field = field with { Type = source.Type, Flags = source.Flags, ConstantsGroup = source.ConstantsGroup, Iterator = source.Iterator };
                fields[i] = field;
            }
            field.Source = source;
        }
        _byName = fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (field.SourceField is not null && _byName.TryGetValue(field.SourceField, out var source)) field.Source = source;
        }

        Fields = fields;
        _fields = fields;
        _iterators = fields.Where(f => f.Iterator is not null).Select(f => f.Iterator!).Distinct()
            .Select((name, id) => (name, id)).ToFrozenDictionary(x => x.name, x => x.id, StringComparer.Ordinal);
        IteratorNames = [.. _iterators.OrderBy(x => x.Value).Select(x => x.Key)];
        EventTypes = eventTypes.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>All fields, indexed by <see cref="SeclField.Id"/>.</summary>
    public IReadOnlyList<SeclField> Fields { get; }

    public FrozenDictionary<string, SeclEventType> EventTypes { get; }

    /// <summary>Iterator prefixes (<c>process.ancestors</c>, ...) indexed by iterator id.</summary>
    public IReadOnlyList<string> IteratorNames { get; }

    public bool TryGetField(string name, out SeclField field) => _byName.TryGetValue(name, out field!);

    /// <summary>True when <paramref name="field"/> is this catalog's own instance (not an equal field of another catalog).</summary>
    public bool Owns(SeclField field) => (uint)field.Id < (uint)_fields.Length && ReferenceEquals(_fields[field.Id], field);

    public int GetIteratorId(string iterator) => _iterators[iterator];

    /// <summary>Event types for which a field is available (for "available for" diagnostics).</summary>
    public IEnumerable<string> EventTypesOf(string fieldName) =>
        _byName.TryGetValue(fieldName, out var field) ? field.EventTypes : [];
}
