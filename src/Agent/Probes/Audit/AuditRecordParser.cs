using System.Globalization;
using System.Text;

namespace Vigil.Agent.Probes.Audit;

/// <summary>
/// Joins audit records of one event (same serial: SYSCALL, EXECVE, OBJ_PID … then EOE) into a kernel
/// event. Values are <c>key=value</c>; strings are quoted, or hex-encoded when they hold spaces, quotes
/// or control characters; long arguments arrive as <c>aN_len</c> plus <c>aN[i]</c> hex chunks.
/// </summary>
internal sealed class AuditRecordParser(int ignoredPid)
{
    private const int MaxPending = 1024;
    private readonly Dictionary<long, Pending> _pending = [];
    private readonly Queue<long> _order = new();

    private sealed class Pending
    {
        public Dictionary<string, string>? Syscall;
        public Dictionary<string, string>? Execve;
        public long TimestampNs;
    }

    /// <summary>Feeds one record; returns the finished event when <paramref name="type"/> is EOE, else null.</summary>
    public KernelEvent? Add(ushort type, string text)
    {
        if (!TryHeader(text, out var timestampNs, out var serial, out var body)) return null;
        if (type == AuditNetlink.Eoe) return Finish(serial);
        if (type is not (AuditNetlink.Syscall or AuditNetlink.Execve)) return null;
        if (!_pending.TryGetValue(serial, out var pending))
        {
            if (_pending.Count >= MaxPending && _order.TryDequeue(out var oldest)) _pending.Remove(oldest); // EOE lost: bound memory
            _pending[serial] = pending = new Pending { TimestampNs = timestampNs };
            _order.Enqueue(serial);
        }
        var fields = Fields(body);
        if (type == AuditNetlink.Syscall) pending.Syscall = fields;
        else pending.Execve = fields;
        return null;
    }

    private KernelEvent? Finish(long serial)
    {
        if (!_pending.Remove(serial, out var pending) || pending.Syscall is not { } s) return null;
        var pid = Int(s, "pid");
        if (pid == ignoredPid) return null;
        var nr = Int(s, "syscall");
        var credentials = new Credentials((uint)Long(s, "uid"), (uint)Long(s, "gid"), (uint)Long(s, "euid"), (uint)Long(s, "egid"),
            (uint)Long(s, "fsuid"), (uint)Long(s, "fsgid"), (uint)Long(s, "auid"), 0, 0);
        var tty = s.GetValueOrDefault("tty");
        if (nr is 59 or 322)
        {
            if (s.GetValueOrDefault("success") != "yes") return null;
            return new KernelEvent
            {
                Kind = KernelEventKind.Exec, Source = "audit", Pid = pid, Tid = pid, Ppid = Int(s, "ppid"), TimestampNs = pending.TimestampNs,
                Credentials = credentials, CredentialsKnown = true, Comm = Decode(s.GetValueOrDefault("comm")),
                Filename = Decode(s.GetValueOrDefault("exe")), Argv = pending.Execve is { } e ? Arguments(e) : null,
                Tty = tty is null or "(none)" ? null : tty,
            };
        }
        return new KernelEvent
        {
            Kind = KernelEventKind.Syscall, Source = "audit", Pid = pid, Tid = pid, Ppid = Int(s, "ppid"), TimestampNs = pending.TimestampNs,
            Credentials = credentials, CredentialsKnown = true, Comm = Decode(s.GetValueOrDefault("comm")), Syscall = nr,
            Args = [Hex(s, "a0"), Hex(s, "a1"), Hex(s, "a2"), Hex(s, "a3"), 0, 0],
        };
    }

    /// <summary>"audit(1732860000.123:4567): body".</summary>
    internal static bool TryHeader(string text, out long timestampNs, out long serial, out string body)
    {
        timestampNs = serial = 0;
        body = "";
        var open = text.IndexOf("audit(", StringComparison.Ordinal);
        var close = text.IndexOf("):", StringComparison.Ordinal);
        if (open < 0 || close < open) return false;
        var stamp = text.AsSpan(open + 6, close - open - 6);
        var colon = stamp.IndexOf(':');
        if (colon < 0 || !decimal.TryParse(stamp[..colon], NumberStyles.Number, CultureInfo.InvariantCulture, out var seconds)
            || !long.TryParse(stamp[(colon + 1)..], CultureInfo.InvariantCulture, out serial)) return false;
        timestampNs = (long)(seconds * 1_000_000_000m);
        body = text[(close + 2)..];
        return true;
    }

    internal static Dictionary<string, string> Fields(string body)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < body.Length)
        {
            while (i < body.Length && body[i] == ' ') i++;
            var equals = body.IndexOf('=', i);
            if (equals < 0) break;
            var key = body[i..equals];
            i = equals + 1;
            string value;
            if (i < body.Length && body[i] == '"')
            {
                var end = body.IndexOf('"', i + 1);
                if (end < 0) end = body.Length;
                value = body[i..Math.Min(end + 1, body.Length)]; // keep the quotes: they say "not hex"
                i = end + 1;
            }
            else
            {
                var end = body.IndexOf(' ', i);
                if (end < 0) end = body.Length;
                value = body[i..end];
                i = end;
            }
            fields[key] = value;
        }
        return fields;
    }

    internal static string[] Arguments(Dictionary<string, string> execve)
    {
        var argc = Int(execve, "argc");
        var args = new string[Math.Clamp(argc, 0, 4096)];
        for (var n = 0; n < args.Length; n++)
        {
            if (execve.TryGetValue($"a{n}", out var value))
            {
                args[n] = Decode(value) ?? "";
                continue;
            }
            var chunks = new StringBuilder(); // a long argument: a{n}[0], a{n}[1] … (always hex)
            for (var c = 0; execve.TryGetValue($"a{n}[{c}]", out var chunk); c++) chunks.Append(chunk);
            args[n] = Decode(chunks.ToString()) ?? "";
        }
        return args;
    }

    /// <summary>A quoted value as is; an unquoted one is hex unless it is not valid hex.</summary>
    internal static string? Decode(string? value)
    {
        if (value is null || value == "(null)") return null;
        if (value.Length >= 2 && value[0] == '"') return value[1..^1];
        if (value.Length % 2 != 0 || !value.All(Uri.IsHexDigit)) return value;
        return Encoding.UTF8.GetString(Convert.FromHexString(value));
    }

    private static int Int(Dictionary<string, string> fields, string key) => (int)Long(fields, key);

    private static long Long(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var v) && long.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : -1;

    private static long Hex(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var v) && ulong.TryParse(v, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var n) ? (long)n : 0;
}
