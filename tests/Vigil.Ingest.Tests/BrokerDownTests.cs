using System.Net;
using Vigil.Testing;

namespace Vigil.Ingest.Tests;

/// <summary>With RabbitMQ unreachable, the intake refuses (503) instead of pretending to accept.</summary>
public sealed class BrokerDownTests(IngestWithBrokerDown ingest) : IClassFixture<IngestWithBrokerDown>
{
    private VigilTestHost Host => ingest.Host;

    [Fact]
    public async Task Batch_WhenTheBusIsDown_Is503WithRetryAfter_AndNothingIsStored()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey,
            AgentBatches.Batch("during-outage", "h", AgentBatches.ExecEvent("r"))));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("same batch_id", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal((0, 0, 0), await IntakeAssertions.StoredAsync(Host, org.Id));
    }

    [Fact]
    public async Task Health_WhenTheBusIsDown_IsUnhealthyButAlive()
    {
        using var http = Host.CreateClient();

        using var health = await http.GetAsync("health");
        using var alive = await http.GetAsync("alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
