using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Agent.Shipping;
using Vigil.Ingest;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Shipping;

/// <summary>
/// A real Ingest (PostgreSQL + RabbitMQ) on a fixed loopback port that a test can leave down and start
/// later, an organization seeded through a short-lived first host, and a spool directory of its own.
/// </summary>
internal sealed class ShippingFixture : IAsyncDisposable
{
    private ShippingFixture(TestOrganization org, int port, string spool)
    {
        Org = org;
        Port = port;
        SpoolDirectory = spool;
        Hostname = $"ship-{Guid.NewGuid():N}"[..16];
    }

    public TestOrganization Org { get; }
    public int Port { get; }
    public string SpoolDirectory { get; }
    public string Hostname { get; }
    public VigilTestHost? Ingest { get; private set; }
    public StringWriter Log { get; } = new();
    public TextWriter SyncLog => TextWriter.Synchronized(Log);
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(15) };

    public AgentSettings Settings => new(new Uri($"http://127.0.0.1:{Port}/"), Org.AgentApiKey, Hostname, TimeSpan.FromMinutes(5));

    public static async Task<ShippingFixture> CreateAsync()
    {
        TestOrganization org;
        await using (var seeding = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync()))
            org = await TestOrganization.CreateAsync(seeding.Services);
        return new ShippingFixture(org, LoopbackPort.Free(), Directory.CreateTempSubdirectory("vigil-spool-").FullName);
    }

    /// <summary>Brings Ingest up on the fixture's port (extra configuration, e.g. rate limits, optional).</summary>
    public async Task StartIngestAsync(params (string Key, string Value)[] settings)
    {
        var config = (await TestConfiguration.ProductionAsync()).With("Urls", $"http://127.0.0.1:{Port}");
        foreach (var (key, value) in settings)
            config[key] = value;
        Ingest = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, config, bindUrls: false);
    }

    public ShipperOptions Options(long spoolMaxBytes = 64L * 1024 * 1024, int maxBatchEvents = 10) => new()
    {
        SpoolDirectory = SpoolDirectory,
        SpoolMaxBytes = spoolMaxBytes,
        MaxBatchEvents = maxBatchEvents,
        MaxBatchDelay = TimeSpan.FromMilliseconds(100),
        InitialBackoff = TimeSpan.FromMilliseconds(200),
        MaxBackoff = TimeSpan.FromSeconds(1),
        FlushTimeout = TimeSpan.FromSeconds(2),
    };

    public EventShipper Shipper(ShipperOptions? options = null)
    {
        var shipper = new EventShipper(options ?? Options(), Settings, Http, SyncLog);
        shipper.Start();
        return shipper;
    }

    /// <summary>A matched-rule event whose title names it, so each one can be found in the database.</summary>
    public static JsonObject Event(string marker, string? payload = null)
    {
        var evt = AgentBatches.ExecEvent("shipper_test_rule");
        evt["title"] = marker;
        if (payload is not null)
            evt["process"]!["args"] = new JsonArray(payload);
        return evt;
    }

    /// <summary>Titles of the events stored for this fixture's host, with their JSON.</summary>
    public async Task<List<(string RuleId, string Title, string Json)>> StoredAsync()
    {
        await using var scope = Ingest!.CreateScope(Org.Id, out var db);
        return (await db.AgentEvents.Where(e => e.Hostname == Hostname).Select(e => new { e.RuleId, e.Title, e.Json }).ToListAsync())
            .Select(e => (e.RuleId, e.Title, e.Json)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (Ingest is not null)
            await Ingest.DisposeAsync();
        Http.Dispose();
        Directory.Delete(SpoolDirectory, recursive: true);
    }
}
