using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>Scope of a user variable: one value globally, per process, per container or per cgroup.</summary>
public enum SeclVariableScope { Global, Process, Container, Cgroup }

/// <summary>
/// Built-in and user variables (<c>set</c> actions). Scoped variables are keyed by the event's
/// pid, container id or cgroup id; each value can expire (TTL) and lists keep at most Size items.
/// </summary>
public sealed class SeclVariableStore
{
    private sealed class Item(object value, long expiresAt)
    {
        public object Value { get; set; } = value;
        public long ExpiresAt { get; set; } = expiresAt;
    }

    private readonly Dictionary<(string Key, string Name), List<Item>> _values = [];

    private static readonly SeclField ProcessPid = Field("process.pid");
    private static readonly SeclField ContainerId = Field("process.container.id");
    private static readonly SeclField CgroupId = Field("process.cgroup.id");

    private static SeclField Field(string name) => SeclFieldCatalog.Linux.TryGetField(name, out var field) ? field : throw new InvalidOperationException(name);

    /// <summary>Splits <c>process.x</c> into (scope, x); names without a known scope prefix are global.</summary>
    public static (SeclVariableScope Scope, string Name) Parse(string name)
    {
        var dot = name.IndexOf('.');
        if (dot < 0) return (SeclVariableScope.Global, name);
        return name[..dot] switch
        {
            "process" => (SeclVariableScope.Process, name[(dot + 1)..]),
            "container" => (SeclVariableScope.Container, name[(dot + 1)..]),
            "cgroup" => (SeclVariableScope.Cgroup, name[(dot + 1)..]),
            _ => (SeclVariableScope.Global, name),
        };
    }

    private static string Key(SeclContext context, SeclVariableScope scope)
    {
        var evt = context.Event;
        switch (scope)
        {
            case SeclVariableScope.Process:
                FieldAccess.GetInts(evt, evt, ProcessPid, out var pid, out _);
                return PidKey(pid);
            case SeclVariableScope.Container:
                FieldAccess.GetStrings(evt, evt, ContainerId, out var container, out _);
                return "c" + container;
            case SeclVariableScope.Cgroup:
                FieldAccess.GetStrings(evt, evt, CgroupId, out var cgroup, out _);
                return "g" + cgroup;
            default:
                return "";
        }
    }

    private static readonly SeclField ProcessPpid = Field("process.ppid");
    private static readonly SeclField AncestorPid = Field("process.ancestors.pid");
    private readonly HashSet<string> _inherited = new(StringComparer.Ordinal);

    private List<Item>? Live(SeclContext context, string fullName)
    {
        var (scope, name) = Parse(fullName);
        var items = LiveAt(context, Key(context, scope), name);
        if (items is not null || scope != SeclVariableScope.Process || !_inherited.Contains(name)) return items;
        // Inherited process variables: a value set on an ancestor is visible to its descendants.
        var evt = context.Event;
        FieldAccess.GetInts(evt, evt, ProcessPpid, out var ppid, out _);
        if (LiveAt(context, PidKey(ppid), name) is { } fromParent) return fromParent;
        var iterator = evt.Catalog.GetIteratorId("process.ancestors");
        for (var i = 0; i < evt.ElementCount(iterator); i++)
        {
            FieldAccess.GetInts(evt, evt.Element(iterator, i), AncestorPid, out var pid, out _);
            if (LiveAt(context, PidKey(pid), name) is { } fromAncestor) return fromAncestor;
        }
        return null;
    }

    private List<Item>? LiveAt(SeclContext context, string key, string name)
    {
        if (!_values.TryGetValue((key, name), out var items)) return null;
        items.RemoveAll(i => i.ExpiresAt != 0 && i.ExpiresAt <= context.Now);
        return items.Count == 0 ? null : items;
    }

    private static string PidKey(long pid) => "p" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void GetStrings(SeclContext context, string name, out string? single, out string[]? many)
    {
        single = null;
        many = null;
        switch (name)
        {
            case "builtins.uuid4":
                single = Guid.NewGuid().ToString();
                return;
            case "process.pid":
                single = GetInt(context, name).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return;
        }
        var items = Live(context, name);
        if (items is null) return;
        if (items.Count == 1 && items[0].Value is string text && !IsList(name)) { single = text; return; }
        many = [.. items.Select(i => i.Value as string ?? Convert.ToString(i.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")];
    }

    public long GetInt(SeclContext context, string name)
    {
        if (name == "process.pid")
        {
            FieldAccess.GetInts(context.Event, context.Event, ProcessPid, out var pid, out _);
            return pid;
        }
        var items = Live(context, name);
        return items is { Count: > 0 } && items[^1].Value is long value ? value : 0;
    }

    public bool GetBool(SeclContext context, string name)
    {
        var items = Live(context, name);
        return items is { Count: > 0 } && items[^1].Value is true;
    }

    private readonly HashSet<string> _lists = [];

    private bool IsList(string name) => _lists.Contains(name);

    /// <summary>Applies a <c>set</c> action; <paramref name="pid"/> overrides the process key (<c>scope_field</c>).</summary>
    public void Set(SeclContext context, string fullName, object value, bool append, int size, long ttlNanoseconds, long? pid = null, bool inherited = false)
    {
        var (scope, name) = Parse(fullName);
        if (inherited && scope == SeclVariableScope.Process) _inherited.Add(name);
        var key = (scope == SeclVariableScope.Process && pid is not null ? PidKey(pid.Value) : Key(context, scope), name);
        if (!_values.TryGetValue(key, out var items)) _values[key] = items = [];
        var expires = ttlNanoseconds > 0 ? context.Now + ttlNanoseconds : 0;
        if (!append)
        {
            items.Clear();
            items.Add(new Item(value, expires));
            return;
        }
        _lists.Add(fullName);
        var existing = items.FindIndex(i => Equals(i.Value, value));
        if (existing >= 0) { items[existing].ExpiresAt = expires; return; }
        items.Add(new Item(value, expires));
        if (size > 0 && items.Count > size) items.RemoveAt(0); // keep the newest Size values
    }
}
