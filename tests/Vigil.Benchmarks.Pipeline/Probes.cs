using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Vigil.Benchmarks.Pipeline;

/// <summary>Counts read straight from the benchmark database (not through Vigil).</summary>
public static class Stored
{
    public static async Task<long> EventsAsync(string db, Guid org)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT coalesce(sum("EventCount"), 0) FROM ingested_batches WHERE "OrganizationId" = @org""", connection);
        command.Parameters.AddWithValue("org", org);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Polls until <paramref name="expected"/> events of the org are stored; returns the stopwatch time at which
    /// the poll saw them (50 ms granularity) and how many were stored, or the partial count after a stall.
    /// </summary>
    public static async Task<(long Stored, TimeSpan At)> WaitForEventsAsync(string db, Guid org, long expected, Stopwatch clock, TimeSpan stall)
    {
        long last = -1;
        var lastProgress = clock.Elapsed;
        while (true)
        {
            var stored = await EventsAsync(db, org);
            var now = clock.Elapsed;
            if (stored >= expected)
                return (stored, now);
            if (stored != last)
            {
                last = stored;
                lastProgress = now;
            }
            else if (now - lastProgress > stall)
            {
                return (stored, now);
            }
            await Task.Delay(50);
        }
    }

    public static async Task<string> ScalarTextAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }
}

/// <summary>CPU seconds (user+system) of this process, the PostgreSQL processes and the RabbitMQ node, from /proc.</summary>
public sealed class CpuSample
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux
    private readonly Dictionary<int, (string Group, long Ticks)> _byPid;

    // This process's garbage collector: pause time (wall), allocations and full collections, to tell GC cost from work.
    private readonly TimeSpan _gcPauses = GC.GetTotalPauseDuration();
    private readonly long _allocated = GC.GetTotalAllocatedBytes();
    private readonly int _gen2 = GC.CollectionCount(2);

    // The JIT: methods compiled (tier-ups included) and time spent compiling, to tell warm-up from steady work.
    private readonly long _jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
    private readonly TimeSpan _jitTime = System.Runtime.JitInfo.GetCompilationTime();

    private CpuSample(Dictionary<int, (string, long)> byPid) => _byPid = byPid;

    public static CpuSample Take()
    {
        var byPid = new Dictionary<int, (string, long)>();
        if (!Directory.Exists("/proc"))
            return new CpuSample(byPid);
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(') + 1)..close];
                string? group = pid == self ? "benchmark process (client + Ingest)"
                    : comm.StartsWith("postgres", StringComparison.Ordinal) ? PostgresGroup(pid)
                    : comm.StartsWith("beam", StringComparison.Ordinal) || comm is "erl_child_setup" or "epmd" ? "RabbitMQ"
                    : null;
                if (group is null)
                    continue;
                var fields = stat[(close + 2)..].Split(' ');
                // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                byPid[pid] = (group, ticks);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // The process ended while we read it.
            }
        }
        return new CpuSample(byPid);
    }

    /// <summary>This run's database: PostgreSQL backends of other databases (other people's tests on a shared machine) are counted apart.</summary>
    public static string? Database { get; set; }

    /// <summary>
    /// A backend's title names its database and client ("postgres: 15/main: user db 127.0.0.1(port) state"), an
    /// autovacuum worker its database; the shared background processes (WAL writer, checkpointer…) name none and count here.
    /// </summary>
    private static string PostgresGroup(int pid)
    {
        if (Database is null)
            return "PostgreSQL";
        var words = File.ReadAllText($"/proc/{pid}/cmdline").Split([' ', '\0'], StringSplitOptions.RemoveEmptyEntries);
        var perDatabase = words.Any(w => w.EndsWith(')') && w.Contains('(')) || words.Contains("worker");
        return !perDatabase || words.Contains(Database) ? "PostgreSQL" : "~ PostgreSQL, other databases, s";
    }

    /// <summary>CPU seconds per group between two samples (processes that ended in between are not counted).</summary>
    public static SortedDictionary<string, double> Between(CpuSample start, CpuSample end)
    {
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (pid, (group, ticks)) in end._byPid)
        {
            var before = start._byPid.TryGetValue(pid, out var s) && s.Group == group ? s.Ticks : 0;
            result[group] = result.GetValueOrDefault(group) + (ticks - before) / TicksPerSecond;
        }
        result["~ .NET GC pauses, wall s"] = (end._gcPauses - start._gcPauses).TotalSeconds;
        result["~ .NET allocated, GB"] = (end._allocated - start._allocated) / 1e9;
        result["~ .NET gen2 collections"] = end._gen2 - start._gen2;
        result["~ .NET JIT methods"] = end._jitMethods - start._jitMethods;
        result["~ .NET JIT time, s"] = (end._jitTime - start._jitTime).TotalSeconds;
        return result;
    }

    public static string Loadavg() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

/// <summary>
/// Sums span durations of the in-process Ingest by stage (HTTP request, bus publish and consume, each SQL
/// statement shape) while enabled. Only for the separate profiled run: listening costs time itself.
/// </summary>
public sealed partial class StageProfiler : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, (long Count, double Milliseconds)> _stages = new(StringComparer.Ordinal);

    public StageProfiler()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "MassTransit" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private void Record(Activity activity)
    {
        string stage;
        if (activity.Source.Name == "Npgsql")
        {
            var sql = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName;
            stage = "SQL " + Shape(sql);
        }
        else if (activity.Source.Name == "Microsoft.AspNetCore")
        {
            stage = "HTTP request (intake, incl. publish)";
        }
        else
        {
            stage = "bus " + activity.DisplayName;
        }
        _stages.AddOrUpdate(stage, (1, activity.Duration.TotalMilliseconds),
            (_, v) => (v.Count + 1, v.Milliseconds + activity.Duration.TotalMilliseconds));
    }

    /// <summary>Statement shape: first words, parameters and literals folded, so equal statements add up.</summary>
    private static string Shape(string sql)
    {
        var oneLine = Spaces().Replace(sql, " ").Trim();
        oneLine = Parameters().Replace(oneLine, "?");
        return oneLine.Length <= 90 ? oneLine : oneLine[..90] + "…";
    }

    public IReadOnlyList<(string Stage, long Count, double Milliseconds)> Snapshot() =>
        _stages.Select(p => (p.Key, p.Value.Count, p.Value.Milliseconds)).OrderByDescending(s => s.Milliseconds).ToList();

    public void Dispose() => _listener.Dispose();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"(@\w+|\$\d+)")]
    private static partial Regex Parameters();
}

/// <summary>Percentiles of a sample (nearest rank).</summary>
public static class Percentile
{
    public static double Of(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
