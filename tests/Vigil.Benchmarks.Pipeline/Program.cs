using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Vigil.Benchmarks.Pipeline;
using Vigil.Ingest;
using Vigil.Testing;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
BenchOptions? options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
if (options is null)
    return 0;

var total = Stopwatch.StartNew();
Console.WriteLine("Vigil pipeline benchmark");
Console.WriteLine($"  machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
    $"server GC {System.Runtime.GCSettings.IsServerGC}, loadavg {CpuSample.Loadavg()}");
Console.WriteLine($"  parameters: {options}");

// One real Ingest (HTTP intake → RabbitMQ → consumer: COPY + detection in one transaction) on this run's database and
// virtual host. Intake rate limits are raised so the benchmark measures the pipeline, not the per-key token bucket.
var configuration = (await TestConfiguration.ProductionAsync())
    .With("Vigil:Ingest:BatchesPerSecondPerKey", "100000")
    .With("Vigil:Ingest:BurstPerKey", "100000");
await using var ingest = await VigilTestHost.StartAsync("Vigil.Ingest", builder =>
{
    // The consumer's retries and faults are counted (and reported per phase) instead of printed.
    builder.Logging.AddProvider(new ConsumerRetries());
    builder.Logging.AddFilter<ConsoleLoggerProvider>("MassTransit", LogLevel.Critical);
    builder.Logging.AddFilter<ConsoleLoggerProvider>("Microsoft.EntityFrameworkCore", LogLevel.Critical);
    return IngestHost.Build(builder);
}, configuration);
var db = await PostgresTestDatabase.ConnectionStringAsync();
CpuSample.Database = new Npgsql.NpgsqlConnectionStringBuilder(db).Database;
Console.WriteLine($"  servers: {await Stored.ScalarTextAsync(db, "SELECT split_part(version(), ',', 1)")}; RabbitMQ at {TestSettings.RabbitMq.Host}:{TestSettings.RabbitMq.Port}");
var phases = new Phases(ingest, db, options);

// The same realistic events for every phase of a round (fresh ids and dates per round).
List<GeneratedEvent> Generate(int count, int seed)
{
    var factory = new AgentEventFactory(seed);
    var now = DateTime.UtcNow;
    return Enumerable.Range(0, count).Select(i => factory.Next(now.AddMilliseconds(-count + i))).ToList();
}
var sample = Generate(1_000, 1);
Console.WriteLine($"  events: exec/open/dns agent events, mean {sample.Average(e => e.Json.Length):0} B " +
    $"(min {sample.Min(e => e.Json.Length)}, max {sample.Max(e => e.Json.Length)}), 20 agent rules, only the built-in rule matches them");

// Warm-up of every phase: JIT, connection pools, the consumer's queue and the rule cache. The pipeline's share is a
// fifth of a round, enough for the per-batch code to be called the 30 times the tiered JIT waits for before it
// optimises; with 2,000 events, round 1 still ran unoptimised code and the tier-1 compiles of the naive phase
// competed with whichever phase ran next.
{
    var warm = await TestOrganization.CreateAsync(ingest.Services);
    var warmEvents = Math.Max(2_000, options.Events / 5);
    await phases.IntakeAsync("warm-up", warm, Phases.Prepare(Generate(warmEvents, 2), options.BatchSize, options.Hosts, true, "warm"), options.Senders);
    await phases.CopyAsync((await TestOrganization.CreateAsync(ingest.Services)).Id, Generate(warmEvents, 3), "warm-copy");
    var warmNaive = await TestOrganization.CreateAsync(ingest.Services);
    await phases.IntakeAsync("warm-up naive", warmNaive, Phases.Prepare(Generate(Math.Min(200, options.NaiveEvents), 4), 1, options.Hosts, gzip: false, "warm-naive"), senders: 1);
}
// The tiered JIT optimises what the warm-up made hot on a background thread: wait until it has nothing left to compile
// (no new method for a second), or its work lands in round 1's first phase (it cost the COPY ceiling 30 % there).
{
    var settling = Stopwatch.StartNew();
    var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
    while (settling.Elapsed < TimeSpan.FromSeconds(30))
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var now = System.Runtime.JitInfo.GetCompiledMethodCount();
        if (now == compiled)
            break;
        compiled = now;
    }
    Console.WriteLine($"  warm-up done; the JIT settled after {settling.Elapsed.TotalSeconds:0.0} s ({compiled:N0} methods compiled)");
}

var copies = new List<Throughput>();
var naives = new List<Throughput>();
var pipelines = new List<Throughput>();
for (var round = 1; round <= options.Rounds; round++)
{
    var events = Generate(options.Events, 100 + round);
    var copyOrg = await TestOrganization.CreateAsync(ingest.Services);
    copies.Add(await phases.CopyAsync(copyOrg.Id, events, $"copy{round}"));
    Report(copies[^1], round);

    var naiveOrg = await TestOrganization.CreateAsync(ingest.Services);
    var naiveBatches = Phases.Prepare(Generate(options.NaiveEvents, 200 + round), 1, options.Hosts, gzip: false, $"naive{round}");
    naives.Add(await phases.IntakeAsync("naive: 1 event/POST, sequential", naiveOrg, naiveBatches, senders: 1));
    Report(naives[^1], round);

    var pipelineOrg = await TestOrganization.CreateAsync(ingest.Services);
    var batches = Phases.Prepare(events, options.BatchSize, options.Hosts, gzip: true, $"pipe{round}");
    events = null;
    GC.Collect();
    pipelines.Add(await phases.IntakeAsync($"Vigil pipeline ({options.Senders} senders)", pipelineOrg, batches, options.Senders));
    Report(pipelines[^1], round);
}

// Where the time goes: one more pipeline run with span listeners on (not used for the figures above).
Console.WriteLine();
Console.WriteLine("Stage profile (separate run of half the events with tracing on; busy time summed over concurrent work):");
{
    var profileOrg = await TestOrganization.CreateAsync(ingest.Services);
    var batches = Phases.Prepare(Generate(Math.Max(options.BatchSize, options.Events / 2), 300), options.BatchSize, options.Hosts, true, "prof");
    using var profiler = new StageProfiler();
    var run = await phases.IntakeAsync("profiled pipeline", profileOrg, batches, options.Senders);
    Console.WriteLine($"  {run.Stored:N0} events in {run.Elapsed.TotalSeconds:0.00} s ({run.PerSecond:N0}/s with tracing), {batches.Count} batches, consumer retries: {run.ConsumerRetries}");
    Console.WriteLine($"  {"stage",-100} {"count",8} {"total s",9} {"ms/batch",9}");
    foreach (var (stage, count, ms) in profiler.Snapshot().Take(14))
        Console.WriteLine($"  {stage,-100} {count,8:N0} {ms / 1000,9:0.00} {ms / batches.Count,9:0.00}");
}

Console.WriteLine();
var latencyHosts = Math.Min(4, options.Hosts);
Console.WriteLine($"Detection latency: {options.Rate:N0} events/s for {options.DurationSeconds} s, open loop, {latencyHosts} hosts each posting a " +
    $"batch every {options.FlushMilliseconds} ms, a new group (signal) every {options.GroupSize} events");
var latencyOrg = await TestOrganization.CreateAsync(ingest.Services);
var rule = await phases.CreateLatencyRuleAsync(latencyOrg.Id);
var latency = await phases.DetectionLatencyAsync(latencyOrg, rule, latencyHosts);

// ---- Results ----
double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
var copyRate = Median(copies.Select(c => c.PerSecond));
var naiveRate = Median(naives.Select(c => c.PerSecond));
var pipelineRate = Median(pipelines.Select(c => c.PerSecond));
var allStored = pipelines.Concat(naives).All(p => p.Complete);
var p50 = Percentile.Of(latency.CreatedMs, 0.50);
var p99 = Percentile.Of(latency.CreatedMs, 0.99);
var max = latency.CreatedMs.Count > 0 ? latency.CreatedMs[^1] : double.NaN;

Console.WriteLine();
Console.WriteLine($"Results (median of {options.Rounds} round(s), ABAB-interleaved COPY / naive / pipeline):");
Console.WriteLine($"  | {"measure",-44} | {"value",16} |");
Console.WriteLine($"  | {new string('-', 44)} | {new string('-', 16)} |");
Row("COPY ceiling, events/s", $"{copyRate:N0}");
Row("naive baseline, events/s", $"{naiveRate:N1}");
Row("Vigil pipeline, events/s", $"{pipelineRate:N0}");
Row("pipeline / COPY (target >= 0.5)", $"{pipelineRate / copyRate:0.00}");
Row("pipeline / naive (target >= 30)", $"{pipelineRate / naiveRate:0.0}");
Row("detection: events sent / achieved rate", $"{latency.Sent:N0} / {latency.AchievedRate:N0}/s");
Row("detection: events stored / sent", $"{latency.Stored:N0} / {latency.Sent:N0}");
Row("detection: signals stored / expected", $"{latency.CreatedMs.Count:N0} / {latency.ExpectedSignals:N0}");
Row("latency CreatedAt-FirstSeen p50, ms", $"{p50:N0}");
Row("latency CreatedAt-FirstSeen p99, ms", $"{p99:N0}");
Row("latency CreatedAt-FirstSeen max, ms", $"{max:N0}");
Row("latency seen-by-50ms-poll p50 / p99, ms", $"{Percentile.Of(latency.VisibleMs, 0.5):N0} / {Percentile.Of(latency.VisibleMs, 0.99):N0}");
Row("sender max lag behind schedule, ms", $"{latency.MaxSendLagMs:N0}");
Console.WriteLine($"  consumer retries during the latency run: {latency.ConsumerRetries}");
Console.WriteLine();
Console.WriteLine($"  total run time {total.Elapsed.TotalSeconds:0} s, loadavg at end {CpuSample.Loadavg()}");
Console.WriteLine();
Target("T4 pipeline / COPY >= 0.5", allStored && pipelineRate / copyRate >= 0.5, $"{pipelineRate / copyRate:0.00}");
Target("T4 pipeline / naive >= 30", allStored && pipelineRate / naiveRate >= 30, $"{pipelineRate / naiveRate:0.0}");
Target("T5 detection latency p99 < 2 s", latency.CreatedMs.Count >= latency.ExpectedSignals && p99 < 2000
    && latency.AchievedRate >= 0.95 * options.Rate, $"p99 {p99:N0} ms at {latency.AchievedRate:N0}/s" +
    (latency.CreatedMs.Count < latency.ExpectedSignals ? $", {latency.ExpectedSignals - latency.CreatedMs.Count} signals never stored" : ""));
if (ConsumerRetries.Faults > 0)
    Console.WriteLine($"NOTE {ConsumerRetries.Faults} accepted batch(es) exhausted the consumer's retries and went to the error queue (not stored).");
return 0;

static void Row(string name, string value) => Console.WriteLine($"  | {name,-44} | {value,16} |");

static void Target(string name, bool pass, string detail) => Console.WriteLine($"{(pass ? "PASS" : "MISS")} {name}: {detail}");

static void Report(Throughput t, int round)
{
    var accepted = t.Accepted is { } a ? $", all accepted (202) after {a.TotalSeconds:0.00} s" : "";
    var retries = t.Retries > 0 ? $", {t.Retries} retried POSTs" : "";
    var missing = t.Complete ? "" : $", ONLY {t.Stored:N0} of {t.Events:N0} STORED (stalled)";
    var cpu = string.Join(", ", t.Cpu.Select(c => c.Key.StartsWith('~') ? $"{c.Key[2..]} {c.Value:0.##}" : $"{c.Key} {c.Value:0.0} s"));
    Console.WriteLine($"  round {round} {t.Name,-36} {t.Events,9:N0} events {t.Elapsed.TotalSeconds,7:0.00} s {t.PerSecond,9:N0}/s{accepted}{retries}{missing}");
    Console.WriteLine($"          CPU: {cpu}; consumer retries: {t.ConsumerRetries}");
}
