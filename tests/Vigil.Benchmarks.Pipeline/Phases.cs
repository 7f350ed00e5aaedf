using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;
using Vigil.Data.Entities;
using Vigil.Testing;

namespace Vigil.Benchmarks.Pipeline;

/// <summary>A throughput measurement: events stored over the time from the first send (or COPY) to the last stored.</summary>
public sealed record Throughput(string Name, long Events, long Stored, TimeSpan Elapsed, TimeSpan? Accepted, int Retries,
    SortedDictionary<string, double> Cpu, string ConsumerRetries = "none")
{
    public double PerSecond => Stored / Elapsed.TotalSeconds;
    public bool Complete => Stored >= Events;
}

/// <summary>Detection latency of one paced run.</summary>
public sealed record Latency(int Sent, long Stored, double AchievedRate, double MaxSendLagMs, int ExpectedSignals, List<double> CreatedMs, List<double> VisibleMs,
    string ConsumerRetries);

/// <summary>A batch ready to post: its id, host, body as sent and event count.</summary>
public sealed record PreparedBatch(string Id, string Host, byte[] Body, bool Gzip, int Count);

public sealed class Phases(VigilTestHost ingest, string db, BenchOptions options)
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = ingest.Address,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static string Hostname(int i) => $"web-{i:D2}.prod.example.com";

    /// <summary>The body of a batch as an agent sends it: <c>{"batch_id","hostname","agent_version","events":[…]}</c>.</summary>
    public static byte[] BatchBody(string batchId, string host, IEnumerable<GeneratedEvent> events)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Encoding.UTF8.GetBytes($$"""{"batch_id":"{{batchId}}","hostname":"{{host}}","agent_version":"7.70.0","events":["""));
        var first = true;
        foreach (var e in events)
        {
            if (!first)
                buffer.WriteByte((byte)',');
            buffer.Write(e.Json);
            first = false;
        }
        buffer.Write("]}"u8);
        return buffer.ToArray();
    }

    /// <summary>Batches of the events, round-robin over the hosts, gzip-compressed or not.</summary>
    public static List<PreparedBatch> Prepare(IReadOnlyList<GeneratedEvent> events, int batchSize, int hosts, bool gzip, string prefix)
    {
        var batches = new List<PreparedBatch>();
        for (int offset = 0, n = 0; offset < events.Count; offset += batchSize, n++)
        {
            var slice = events.Skip(offset).Take(batchSize).ToList();
            var id = $"{prefix}-{n:D7}";
            var host = Hostname(n % hosts);
            var body = BatchBody(id, host, slice);
            batches.Add(new PreparedBatch(id, host, gzip ? AgentBatches.Gzip(body) : body, gzip, slice.Count));
        }
        return batches;
    }

    /// <summary>Posts until accepted; 429/503 are retried after a short pause (counted). Returns the retries.</summary>
    public async Task<int> PostAsync(string apiKey, PreparedBatch batch)
    {
        for (var retries = 0; ; retries++)
        {
            using var request = AgentBatches.IntakeRequest(apiKey, batch.Body, batch.Gzip ? "gzip" : null);
            using var response = await _http.SendAsync(request);
            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                return retries;
            if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || retries > 1000)
                throw new InvalidOperationException(
                    $"The intake answered {(int)response.StatusCode} to batch {batch.Id}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(50);
        }
    }

    /// <summary>The COPY ceiling: the same rows as Ingest stores, binary COPY in batches, no HTTP, no bus.</summary>
    public async Task<Throughput> CopyAsync(Guid org, IReadOnlyList<GeneratedEvent> events, string prefix)
    {
        var receivedAt = DateTime.UtcNow;
        var batches = new List<(string Id, string Host, List<AgentEvent> Rows)>();
        for (int offset = 0, n = 0; offset < events.Count; offset += options.BatchSize, n++)
        {
            var id = $"{prefix}-{n:D7}";
            var host = Hostname(n % options.Hosts);
            batches.Add((id, host, events.Skip(offset).Take(options.BatchSize).Select(e => new AgentEvent
            {
                OrganizationId = org, BatchId = id, Hostname = host, RuleId = e.RuleId, EventType = e.EventType, Title = e.Title,
                Timestamp = e.Timestamp, ReceivedAt = receivedAt, Json = Encoding.UTF8.GetString(e.Json),
            }).ToList()));
        }

        var next = -1;
        var cpu = CpuSample.Take();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.CopyConnections).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(db);
            await connection.OpenAsync();
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
                await CopyBatchAsync(connection, batches[i].Rows);
        }));
        var elapsed = clock.Elapsed;
        return new Throughput($"COPY ceiling ({options.CopyConnections} conn.)", events.Count, events.Count, elapsed, null, 0,
            CpuSample.Between(cpu, CpuSample.Take()));
    }

    /// <summary>Exactly the statement and column types of Ingest's AgentEventWriter, one COPY (one commit) per batch.</summary>
    private static async Task CopyBatchAsync(NpgsqlConnection connection, List<AgentEvent> events)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            """
            COPY agent_events ("Id", "OrganizationId", "BatchId", "Hostname", "RuleId", "EventType", "Title", "Timestamp", "ReceivedAt", "Json")
            FROM STDIN (FORMAT BINARY)
            """);
        foreach (var e in events)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(e.Id, NpgsqlDbType.Uuid);
            await importer.WriteAsync(e.OrganizationId, NpgsqlDbType.Uuid);
            await importer.WriteAsync(e.BatchId, NpgsqlDbType.Varchar);
            await importer.WriteAsync(e.Hostname, NpgsqlDbType.Varchar);
            await importer.WriteAsync(e.RuleId, NpgsqlDbType.Varchar);
            await importer.WriteAsync(e.EventType!, NpgsqlDbType.Varchar);
            await importer.WriteAsync(e.Title, NpgsqlDbType.Varchar);
            await importer.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz);
            await importer.WriteAsync(e.ReceivedAt, NpgsqlDbType.TimestampTz);
            await importer.WriteAsync(e.Json, NpgsqlDbType.Jsonb);
        }
        await importer.CompleteAsync();
    }

    /// <summary>
    /// Posts the batches through the real intake with <paramref name="senders"/> concurrent senders (each waits for its
    /// 202 before its next batch), then waits until every event is stored.
    /// </summary>
    public async Task<Throughput> IntakeAsync(string name, TestOrganization org, IReadOnlyList<PreparedBatch> batches, int senders)
    {
        var total = batches.Sum(b => b.Count);
        var next = -1;
        var retries = 0;
        var consumerRetries = ConsumerRetries.Snapshot();
        var cpu = CpuSample.Take();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
                Interlocked.Add(ref retries, await PostAsync(org.AgentApiKey, batches[i]));
        }));
        var accepted = clock.Elapsed;
        var (stored, at) = await Stored.WaitForEventsAsync(db, org.Id, total, clock, TimeSpan.FromSeconds(options.StallSeconds));
        return new Throughput(name, total, stored, at, accepted, retries, CpuSample.Between(cpu, CpuSample.Take()),
            ConsumerRetries.Since(consumerRetries));
    }

    /// <summary>A threshold rule <c>a &gt; 0</c> on the probe agent rule, grouped by container id: one signal per group.</summary>
    public async Task<Guid> CreateLatencyRuleAsync(Guid org)
    {
        var definition = new DetectionRuleDefinition
        {
            Name = "Drifted binary executed in container {{@container.id}}",
            Method = DetectionMethod.Threshold,
            Queries = [new RuleQuery("a", "@agent.rule_id:container_drift_exec")],
            GroupBy = ["@container.id"],
            Cases = [new RuleCase("a > 0", "high")],
            Message = "A binary that is not part of the image ran in `{{@container.id}}`.",
            Tags = ["tactic:TA0002-execution", "source:runtime-security-agent"],
        };
        await using var scope = ingest.CreateScope(org, out var context);
        var row = new DetectionRule
        {
            Name = definition.Name, Method = "threshold", DefinitionJson = JsonSerializer.Serialize(definition, ApiJson.Options),
        };
        context.DetectionRules.Add(row);
        await context.SaveChangesAsync();
        return row.Id;
    }

    /// <summary>
    /// Open loop: every flush interval each host posts one batch (not waiting for earlier answers), its events dated
    /// at the batch's intended send time; the container id changes every <c>GroupSize</c> events, so signals keep
    /// being opened. Latency of a signal = its CreatedAt (set by the engine) − its FirstSeen (the first event's date),
    /// and, as a cross-check, when a 50 ms poll first saw the committed row − FirstSeen.
    /// </summary>
    public async Task<Latency> DetectionLatencyAsync(TestOrganization org, Guid ruleId, int hosts)
    {
        var factory = new AgentEventFactory(seed: 7);
        var interval = TimeSpan.FromMilliseconds(options.FlushMilliseconds);
        var ticks = (int)(options.DurationSeconds * 1000L / options.FlushMilliseconds);
        var perTick = Math.Max(1, (int)Math.Round(options.Rate * options.FlushMilliseconds / 1000.0));
        var runTag = Guid.NewGuid().ToString("N")[..20];
        var visible = new Dictionary<Guid, DateTime>();
        using var stopPolling = new CancellationTokenSource();
        var poller = PollSignalsAsync(org.Id, ruleId, visible, stopPolling.Token);

        var sends = new List<Task<int>>();
        var startUtc = DateTime.UtcNow.AddMilliseconds(200);
        var clock = Stopwatch.StartNew();
        var startOffset = TimeSpan.FromMilliseconds(200);
        var maxLag = 0.0;
        var sent = 0;
        var consumerRetries = ConsumerRetries.Snapshot();
        TimeSpan lastSend = default;
        for (var k = 0; k < ticks; k++)
        {
            var due = startOffset + k * interval;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            maxLag = Math.Max(maxLag, (clock.Elapsed - due).TotalMilliseconds);
            var date = startUtc + k * interval;
            for (var h = 0; h < hosts; h++)
            {
                var count = perTick / hosts + (h < perTick % hosts ? 1 : 0);
                if (count == 0)
                    continue;
                var events = new List<GeneratedEvent>(count);
                for (var j = 0; j < count; j++, sent++)
                    events.Add(factory.Next(date, "container_drift_exec", $"{runTag}{sent / options.GroupSize:x44}"));
                var id = $"lat-{runTag}-{k:D6}-{h:D2}";
                var body = AgentBatches.Gzip(BatchBody(id, Hostname(h), events));
                sends.Add(PostAsync(org.AgentApiKey, new PreparedBatch(id, Hostname(h), body, true, count)));
            }
            lastSend = clock.Elapsed;
        }
        await Task.WhenAll(sends);
        var achieved = sent / (lastSend - startOffset + interval).TotalSeconds;
        var expectedSignals = (sent + options.GroupSize - 1) / options.GroupSize;
        var (stored, _) = await Stored.WaitForEventsAsync(db, org.Id, sent, clock, TimeSpan.FromSeconds(options.StallSeconds));
        var deadline = clock.Elapsed + TimeSpan.FromSeconds(10);
        while (true)
        {
            lock (visible)
            {
                if (visible.Count >= expectedSignals || clock.Elapsed > deadline)
                    break;
            }
            await Task.Delay(50);
        }
        await stopPolling.CancelAsync();
        await poller;

        var created = new List<double>();
        var seen = new List<double>();
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT "Id", "FirstSeen", "CreatedAt" FROM signals WHERE "OrganizationId" = @org AND "RuleId" = @rule""", connection);
        command.Parameters.AddWithValue("org", org.Id);
        command.Parameters.AddWithValue("rule", ruleId.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var firstSeen = reader.GetDateTime(1);
            created.Add((reader.GetDateTime(2) - firstSeen).TotalMilliseconds);
            lock (visible)
            {
                if (visible.TryGetValue(reader.GetGuid(0), out var at))
                    seen.Add((at - firstSeen).TotalMilliseconds);
            }
        }
        created.Sort();
        seen.Sort();
        return new Latency(sent, stored, achieved, maxLag, expectedSignals, created, seen, ConsumerRetries.Since(consumerRetries));
    }

    private async Task PollSignalsAsync(Guid org, Guid ruleId, Dictionary<Guid, DateTime> visible, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            """SELECT "Id" FROM signals WHERE "OrganizationId" = @org AND "RuleId" = @rule AND "CreatedAt" > @since""", connection);
        command.Parameters.AddWithValue("org", org);
        command.Parameters.AddWithValue("rule", ruleId.ToString());
        var since = command.Parameters.Add("since", NpgsqlDbType.TimestampTz);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // CreatedAt is stamped before commit, so look back far enough for any transaction still running.
                since.Value = DateTime.UtcNow.AddSeconds(-30);
                var ids = new List<Guid>();
                await using (var reader = await command.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                        ids.Add(reader.GetGuid(0));
                }
                var now = DateTime.UtcNow;
                lock (visible)
                {
                    foreach (var id in ids)
                        visible.TryAdd(id, now);
                }
                await Task.Delay(50, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
