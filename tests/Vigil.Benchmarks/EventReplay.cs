using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;

namespace Vigil.Benchmarks;

/// <summary>
/// Deterministic stream of realistic Linux events: library loads, config reads, short-lived
/// commands, DNS lookups, temp-file churn. About 1% match a default-policy rule. Each event is first
/// recorded (<see cref="RecordedEvent"/>: its type and its values, as a capture would hold them), then
/// built into a <see cref="SeclEvent"/> or written into a reused one.
/// </summary>
public static class EventReplay
{
    private static readonly string[] Binaries = ["/usr/bin/ls", "/usr/bin/grep", "/usr/bin/cat", "/usr/bin/python3.11", "/usr/bin/git", "/usr/sbin/nginx", "/usr/bin/node", "/usr/bin/sed", "/usr/bin/awk", "/usr/bin/sort"];
    private static readonly string[] Parents = ["bash", "systemd", "containerd-shim", "sshd", "cron", "make"];
    private static readonly string[] ReadPaths = ["/usr/lib/x86_64-linux-gnu/libc.so.6", "/etc/ld.so.cache", "/proc/self/status", "/etc/passwd", "/usr/share/zoneinfo/UTC", "/etc/hosts", "/var/lib/app/data.db", "/home/dev/project/src/main.go", "/sys/fs/cgroup/cpu.max", "/opt/app/config.yaml"];
    private static readonly string[] WritePaths = ["/tmp/tmp.AbC123", "/var/log/app/app.log", "/home/dev/project/build/out.o", "/var/lib/app/data.db-wal", "/run/user/1000/socket"];
    private static readonly string[] Domains = ["api.github.com", "registry.npmjs.org", "s3.amazonaws.com", "time.google.com", "pypi.org", "ocsp.digicert.com"];

    // open(2) flags as the kernel reports them (x86-64 values).
    private const long ORdonly = 0, OWronly = 0x1, OCreat = 0x40, OAppend = 0x400, OCloexec = 0x80000;

    private const long DnsTypeA = 1;

    private static IpNetwork Address(string text) => IpNetwork.TryParse(text, out var address) ? address : throw new ArgumentException(text);

    public static SeclEvent[] Create(int count, int seed, bool includeMatching = true)
    {
        var random = new Random(seed);
        var events = new SeclEvent[count];
        for (var i = 0; i < count; i++)
            events[i] = Next(random, includeMatching);
        return events;
    }

    public static Recording Record(int count, int seed, bool includeMatching = true)
    {
        var random = new Random(seed);
        var events = new RecordedEvent[count];
        for (var i = 0; i < count; i++)
            events[i] = NextRecord(random, includeMatching);
        return new Recording(events);
    }

    /// <summary>The next event of the stream <paramref name="random"/> drives (the same stream as <see cref="Create"/> for its seed).</summary>
    public static SeclEvent Next(Random random, bool includeMatching = true) => NextRecord(random, includeMatching).Build();

    public static RecordedEvent NextRecord(Random random, bool includeMatching = true)
    {
        var kind = random.Next(100);
        return includeMatching && random.Next(100) == 0 ? Matching(random) : kind switch
        {
            < 35 => Exec(random),
            < 80 => Open(random),
            < 88 => Dns(random),
            < 94 => Unlink(random),
            _ => Connect(random),
        };
    }

    private static RecordedEvent WithProcess(string type, Random random)
    {
        var path = Binaries[random.Next(Binaries.Length)];
        var parent = Parents[random.Next(Parents.Length)];
        var evt = new RecordedEvent(type)
            .With("process.file.path", path).With("process.file.name", Path.GetFileName(path)).With("process.comm", Path.GetFileName(path))
            .With("process.pid", (long)random.Next(1000, 60000)).With("process.uid", random.Next(3) == 0 ? 0L : 1000L)
            .With("process.argv", new[] { "--flag", "value" }).With("process.parent.file.name", parent)
            .With("process.container.id", random.Next(2) == 0 ? "" : "3f2a9c");
        evt.Ancestor(("process.ancestors.file.name", parent), ("process.ancestors.file.path", "/usr/bin/" + parent));
        evt.Ancestor(("process.ancestors.file.name", "systemd"), ("process.ancestors.file.path", "/usr/lib/systemd/systemd"));
        return evt;
    }

    private static RecordedEvent Exec(Random random)
    {
        var path = Binaries[random.Next(Binaries.Length)];
        return WithProcess("exec", random).With("exec.file.path", path).With("exec.file.name", Path.GetFileName(path))
            .With("exec.comm", Path.GetFileName(path)).With("exec.argv", new[] { "-n", "--color=auto", "file.txt" }).With("exec.envs", new[] { "PATH", "HOME", "LANG" });
    }

    private static RecordedEvent Open(Random random)
    {
        var write = random.Next(5) == 0;
        var path = write ? WritePaths[random.Next(WritePaths.Length)] : ReadPaths[random.Next(ReadPaths.Length)];
        return WithProcess("open", random).With("open.file.path", path).With("open.file.name", Path.GetFileName(path))
            .With("open.flags", write ? OWronly | OCreat | OAppend : ORdonly | OCloexec);
    }

    private static RecordedEvent Dns(Random random) =>
        WithProcess("dns", random).With("dns.question.name", Domains[random.Next(Domains.Length)]).With("dns.question.type", DnsTypeA);

    private static RecordedEvent Unlink(Random random) =>
        WithProcess("unlink", random).With("unlink.file.path", "/tmp/tmp." + random.Next(1000)).With("unlink.file.name", "tmp");

    private static RecordedEvent Connect(Random random) =>
        WithProcess("connect", random).With("connect.addr.ip", Address("10.0.3." + random.Next(1, 250))).With("connect.addr.port", 443L);

    private static RecordedEvent Matching(Random random) => random.Next(3) switch
    {
        0 => WithProcess("exec", random).With("exec.file.name", "whoami").With("exec.comm", "whoami").With("exec.file.path", "/usr/bin/whoami"),
        1 => WithProcess("open", random).With("open.file.path", "/etc/sudoers").With("open.flags", OWronly),
        _ => WithProcess("dns", random).With("dns.question.name", "pastebin.com"),
    };
}

/// <summary>
/// An event as recorded: its type, its values in the order they were set, and its ancestors' values. Each field is
/// resolved in the catalog when it is recorded, as an agent resolves the fields it fills once, not per event.
/// </summary>
public sealed class RecordedEvent(string type)
{
    private readonly List<(SeclField Field, object Value)> _values = [];
    private readonly List<(SeclField Field, object Value)[]> _ancestors = [];

    public string Type => type;

    public RecordedEvent With(string field, object value)
    {
        _values.Add((Field(field), value));
        return this;
    }

    public void Ancestor(params (string Field, object Value)[] values) => _ancestors.Add([.. values.Select(v => (Field(v.Field), v.Value))]);

    private static SeclField Field(string name) =>
        SeclFieldCatalog.Linux.TryGetField(name, out var field) ? field : throw new ArgumentException($"field `{name}` not found", nameof(name));

    /// <summary>A new event, filled from loosely typed values (as the JSON reader fills one).</summary>
    public SeclEvent Build()
    {
        var evt = new SeclEvent(type);
        foreach (var (field, value) in _values) evt.SetValue(field.Name, value);
        foreach (var ancestor in _ancestors)
        {
            var element = evt.AddElement("process.ancestors");
            foreach (var (field, value) in ancestor) element.SetValue(field.Name, value);
        }
        return evt;
    }

    /// <summary>Appends this event's values to a <see cref="Recording"/>: the event's own first, then each ancestor's.</summary>
    internal void AppendTo(List<Recording.Value> values)
    {
        foreach (var (field, value) in _values) values.Add(Recording.Value.Of(field, value, element: -1));
        for (var i = 0; i < _ancestors.Count; i++)
        {
            foreach (var (field, value) in _ancestors[i]) values.Add(Recording.Value.Of(field, value, element: i));
        }
    }
}

/// <summary>
/// Recorded events packed as a capture holds them: one array of values read front to back (a kernel ring buffer
/// is read the same way), so that replaying them measures writing and evaluating, not chasing record objects.
/// </summary>
public sealed class Recording
{
    private readonly (string Type, int Start, int End)[] _events;
    private readonly Value[] _values;

    public Recording(IReadOnlyList<RecordedEvent> events)
    {
        var values = new List<Value>();
        _events = new (string, int, int)[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var start = values.Count;
            events[i].AppendTo(values);
            _events[i] = (events[i].Type, start, values.Count);
        }
        _values = [.. values];
    }

    public int Count => _events.Length;

    /// <summary>Writes event <paramref name="index"/> into a reused one with the typed setters, as the agent fills each event it reads.</summary>
    public SeclEvent WriteTo(int index, SeclEvent evt)
    {
        var (type, start, end) = _events[index];
        evt.Reset(type);
        SeclElement? element = null;
        var elementIndex = -1;
        for (var i = start; i < end; i++)
        {
            ref readonly var value = ref _values[i];
            if (value.Element != elementIndex)
            {
                element = evt.AddElement("process.ancestors");
                elementIndex = value.Element;
            }
            if (element is not null)
            {
                if (value.Reference is string elementText) element.Set(value.Field, elementText);
                else element.Set(value.Field, value.Number);
                continue;
            }
            _ = value.Reference switch
            {
                string text => evt.Set(value.Field, text),
                string[] texts => evt.Set(value.Field, texts),
                IpNetwork[] address => evt.Set(value.Field, address[0]),
                _ => evt.Set(value.Field, value.Number),
            };
        }
        return evt;
    }

    /// <summary>One recorded value: a string, a list of strings, an address (boxed once, when recorded) or a number.</summary>
    internal readonly record struct Value(SeclField Field, object? Reference, long Number, int Element)
    {
        public static Value Of(SeclField field, object value, int element) => value switch
        {
            string or string[] => new Value(field, value, 0, element),
            IpNetwork address => new Value(field, new[] { address }, 0, element),
            long number => new Value(field, null, number, element),
            _ => throw new ArgumentException($"`{field.Name}`: a recorded value is a string, a list of strings, an address or a number", nameof(value)),
        };
    }
}
