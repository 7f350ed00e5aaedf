using System.Net;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Contracts;
using Vigil.Testing;
using ZstdSharp;

namespace Vigil.Ingest.Tests;

/// <summary>
/// The batch travels on the bus as it was posted (gzip, zstd or plain) and the consumer decodes it; messages
/// published before that, carrying each event's JSON, are still stored.
/// </summary>
public sealed class BusBodyTests(ProductionIngest ingest) : IClassFixture<ProductionIngest>
{
    private VigilTestHost Host => ingest.Host;

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    [InlineData(null)]
    public async Task PostedBatch_EveryEncoding_StoresEachEventsJsonAsPostedWithItsSignal(string? encoding)
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var first = AgentBatches.ExecEvent("rule_one", path: "/usr/bin/quote\"d é");
        var second = AgentBatches.ExecEvent("rule_two", path: "/usr/bin/python3");
        var json = AgentBatches.Utf8(AgentBatches.Batch($"enc-{encoding ?? "plain"}", "host-e", first, second));
        using var zstd = new Compressor();
        var body = encoding switch { "gzip" => AgentBatches.Gzip(json), "zstd" => zstd.Wrap(json).ToArray(), _ => json };

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, body, encoding));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(Host, org.Id)) == (1, 2, 2), "the batch stored");
        await using var scope = Host.CreateScope(org.Id, out var db);
        var stored = await db.AgentEvents.OrderBy(e => e.RuleId).Select(e => e.Json).ToListAsync();
        Assert.True(JsonNode.DeepEquals(first, JsonNode.Parse(stored[0])), stored[0]);
        Assert.True(JsonNode.DeepEquals(second, JsonNode.Parse(stored[1])), stored[1]);
        var sample = await db.Signals.Where(s => s.AgentRuleId == "rule_one").Select(s => s.SampleEventJson).SingleAsync();
        Assert.True(JsonNode.DeepEquals(first, JsonNode.Parse(sample)), sample);
        Assert.Equal(2, await db.SignalEvents.CountAsync());
    }

    [Fact]
    public async Task OlderMessage_EventsCarryingTheirOwnJson_IsStoredWithItsSignal()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        var evt = AgentBatches.ExecEvent("rule_old");
        var message = new EventBatchAccepted(org.Id, "older-1", "host-o", "0.1.0", DateTimeOffset.UtcNow,
            [new AcceptedEvent("rule_old", "exec", DateTimeOffset.UtcNow, "old", RawJson.Parse(evt.ToJsonString()))]);

        await using (var scope = Host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(message);

        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(Host, org.Id)) == (1, 1, 1), "the older message stored");
        await using var read = Host.CreateScope(org.Id, out var db);
        Assert.True(JsonNode.DeepEquals(evt, JsonNode.Parse(await db.AgentEvents.Select(e => e.Json).SingleAsync())));
    }
}
