using System.Net;
using System.Text.Json.Nodes;
using Vigil.Testing;

namespace Vigil.Ingest.Tests;

/// <summary>Size limits (413) and back-pressure (429 + Retry-After), with an Ingest configured small.</summary>
public sealed class IntakeLimitTests(LimitedIngest ingest) : IClassFixture<LimitedIngest>
{
    private VigilTestHost Host => ingest.Host;

    [Fact]
    public async Task BodyOverTheCompressedLimit_Is413()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var body = new byte[LimitedIngest.MaxCompressedBytes + 1];

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, body));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains($"{LimitedIngest.MaxCompressedBytes}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecompressionBomb_Is413BeforeItIsInflated()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var bomb = AgentBatches.Gzip(new byte[16 * 1024 * 1024], System.IO.Compression.CompressionLevel.SmallestSize); // ~16 KB sent, 16 MB inflated

        Assert.True(bomb.Length < LimitedIngest.MaxCompressedBytes, $"the bomb is small on the wire ({bomb.Length} bytes)");

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, bomb, "gzip"));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("decompressed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooManyEvents_Is413()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var events = Enumerable.Range(0, LimitedIngest.MaxEvents + 1).Select(_ => (JsonNode)AgentBatches.ExecEvent("r")).ToArray();

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, AgentBatches.Batch("many", "h", events)));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Too many events", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task KeySendingFasterThanItsLimit_Gets429WithRetryAfter_AndItsAcceptedBatchesStay()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < LimitedIngest.Burst + 3 && refused is null; i++)
        {
            var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey,
                AgentBatches.Batch($"burst-{i}", "h", AgentBatches.ExecEvent("burst_rule"))));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                refused = response;
            else
                response.Dispose();
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "a Retry-After header in seconds");
            await IntakeAssertions.ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        }
        var accepted = statuses.Count(s => s == HttpStatusCode.Accepted);
        Assert.True(accepted >= LimitedIngest.Burst - 1, $"the burst is accepted first: {string.Join(",", statuses)}");
        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(Host, org.Id)).Batches == accepted,
            "every accepted batch stored");
    }
}
