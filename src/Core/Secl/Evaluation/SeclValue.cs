using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>A stored field value: one scalar or one array, never boxed.</summary>
public readonly struct SeclValue
{
    public SeclValue(string value) { Text = value; }
    public SeclValue(long value) { Number = value; }
    public SeclValue(bool value) { Number = value ? 1 : 0; }
    public SeclValue(IpNetwork value) { Ip = value; }
    public SeclValue(string[] values) { Texts = values; }
    public SeclValue(long[] values) { Numbers = values; }
    public SeclValue(IpNetwork[] values) { Ips = values; }

    public string? Text { get; }
    public long Number { get; }
    public IpNetwork Ip { get; }
    public string[]? Texts { get; }
    public long[]? Numbers { get; }
    public IpNetwork[]? Ips { get; }
}

/// <summary>Field values of one node: the event itself, or one element of an iterator (an ancestor).</summary>
public class SeclValueBag
{
    private readonly Dictionary<int, SeclValue> _values = [];
    private readonly Dictionary<int, SeclValue> _derived = [];

    internal bool TryGet(int storageId, out SeclValue value) => _values.TryGetValue(storageId, out value);

    internal void Put(int storageId, SeclValue value)
    {
        _values[storageId] = value;
        _derived.Clear(); // derived values (args, flags) depend on stored ones
    }

    /// <summary>Computed values (args from argv ...) cached for the life of the event.</summary>
    internal bool TryGetDerived(int fieldId, out SeclValue value) => _derived.TryGetValue(fieldId, out value);

    internal void PutDerived(int fieldId, SeclValue value) => _derived[fieldId] = value;

    /// <summary>Drops cached computed values (what a new event from the agent would start with).</summary>
    public void ClearDerived() => _derived.Clear();

    public void Clear()
    {
        _values.Clear();
        _derived.Clear();
    }
}
