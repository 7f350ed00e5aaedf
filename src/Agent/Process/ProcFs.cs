using System.Text;
using Vigil.Agent.Interop;
using Vigil.Agent.Probes;

namespace Vigil.Agent.Process;

/// <summary>
/// Readers for /proc/&lt;pid&gt;. Every method returns false (or null) when the process is gone or the file
/// cannot be read, never throws: processes vanish between any two reads.
/// </summary>
public static class ProcFs
{
    private const int MaxRead = 64 * 1024;

    public static string? TryReadExe(int pid) =>
        ProcFsNative.TryReadLink($"/proc/{pid}/exe") is { } target ? NormalizeExe(target) : null;

    /// <summary>An exec'd memfd reads as "/memfd:NAME (deleted)"; Datadog reports it as "memfd:NAME".</summary>
    public static string NormalizeExe(string target) =>
        target.StartsWith("/memfd:", StringComparison.Ordinal)
            ? target[1..].Replace(" (deleted)", "", StringComparison.Ordinal)
            : target;

    public static string[]? TryReadNulList(int pid, string file, out bool truncated)
    {
        truncated = false;
        var bytes = TryReadBytes($"/proc/{pid}/{file}");
        if (bytes is null) return null;
        truncated = bytes.Length >= MaxRead;
        var parts = Encoding.UTF8.GetString(bytes).Split('\0');
        return parts.Length > 0 && parts[^1].Length == 0 ? parts[..^1] : parts;
    }

    public static string? TryReadText(string path)
    {
        var bytes = TryReadBytes(path);
        return bytes is null ? null : Encoding.UTF8.GetString(bytes);
    }

    private static byte[]? TryReadBytes(string path) => ProcFsNative.TryReadAll(path, MaxRead);

    /// <summary>ppid, comm and credentials from /proc/pid/status.</summary>
    public static bool TryReadStatus(int pid, out int ppid, out string comm, out Credentials credentials)
    {
        ppid = 0;
        comm = "";
        credentials = Credentials.Unknown;
        var text = TryReadText($"/proc/{pid}/status");
        if (text is null) return false;
        uint[] uids = [0, 0, 0, 0], gids = [0, 0, 0, 0];
        ulong capEff = 0, capPrm = 0;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon];
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "Name": comm = value; break;
                case "PPid": _ = int.TryParse(value, out ppid); break;
                case "Uid": uids = Ids(value); break;
                case "Gid": gids = Ids(value); break;
                case "CapEff": capEff = Convert.ToUInt64(value, 16); break;
                case "CapPrm": capPrm = Convert.ToUInt64(value, 16); break;
            }
        }
        var auid = uint.TryParse(TryReadText($"/proc/{pid}/loginuid")?.Trim(), out var a) ? a : uint.MaxValue;
        credentials = new Credentials(uids[0], gids[0], uids[1], gids[1], uids[3], gids[3], auid, capEff, capPrm);
        return true;
    }

    private static uint[] Ids(string value)
    {
        var parts = value.Split('\t', ' ').Where(p => p.Length > 0).Select(p => uint.TryParse(p, out var v) ? v : 0).ToArray();
        return parts.Length >= 4 ? parts : [0, 0, 0, 0];
    }

    /// <summary>Start time of the process in Unix nanoseconds (field 22 of /proc/pid/stat, in clock ticks since boot).</summary>
    public static long TryReadStartTime(int pid)
    {
        var text = TryReadText($"/proc/{pid}/stat");
        if (text is null) return 0;
        var close = text.LastIndexOf(')');
        if (close < 0) return 0;
        var fields = text[(close + 2)..].Split(' ');
        if (fields.Length < 20 || !long.TryParse(fields[19], out var ticks)) return 0;
        var bootWall = Libc.Now(Libc.CLOCK_REALTIME) - Libc.Now(Libc.CLOCK_BOOTTIME);
        return bootWall + ticks * (1_000_000_000 / 100); // USER_HZ is 100 on Linux
    }

    public static string? TryReadTty(int pid)
    {
        try
        {
            var target = new FileInfo($"/proc/{pid}/fd/0").LinkTarget;
            return target is not null && (target.StartsWith("/dev/pts/", StringComparison.Ordinal) || target.StartsWith("/dev/tty", StringComparison.Ordinal))
                ? target["/dev/".Length..].Replace("/", "", StringComparison.Ordinal)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stats <paramref name="statPath"/> (default: the path itself; /proc/pid/exe for a memfd image) and reports it as <paramref name="path"/>.</summary>
    public static ExecutableFile StatExecutable(string path, string? statPath = null)
    {
        statPath ??= path;
        if (statPath.Length == 0 || statPath[0] != '/' || Libc.Stat(statPath, out var st) != 0) return ExecutableFile.Unknown with { Path = path };
        return new ExecutableFile(path, st.Inode, st.Mode, st.Uid, st.Gid, st.Size,
            st.ModificationTime.Seconds * 1_000_000_000 + st.ModificationTime.Nanoseconds,
            st.ChangeTime.Seconds * 1_000_000_000 + st.ChangeTime.Nanoseconds);
    }

    public static IEnumerable<int> Pids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid)) yield return pid;
        }
    }
}
