using System.Net;
using Microsoft.EntityFrameworkCore;
using Vigil.Testing;

namespace Vigil.Ingest.Tests;

/// <summary>Bad input gets a clear status and ProblemDetails naming what is wrong, and nothing of it is stored.</summary>
public sealed class IntakeRejectionTests(ProductionIngest ingest) : IClassFixture<ProductionIngest>
{
    private VigilTestHost Host => ingest.Host;

    [Fact]
    public async Task NoApiKey_Is401()
    {
        using var http = Host.CreateClient();

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(null, AgentBatches.Batch("b", "h", AgentBatches.ExecEvent("r"))));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("DD-API-KEY", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vga_unknownkeyunknownkeyunknownkeyunknownkey12")]
    [InlineData("not-a-key")]
    [InlineData("vgk_applicationKeysAreNotAgentKeys")]
    public async Task WrongApiKey_Is403(string key)
    {
        using var http = Host.CreateClient();

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(key, AgentBatches.Batch("b", "h", AgentBatches.ExecEvent("r"))));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("Invalid API key", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task RevokedApiKey_Is403()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        await using (var scope = Host.CreateScope(org.Id, out var db))
        {
            var key = await db.ApiKeys.SingleAsync();
            key.RevokedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        }
        using var http = Host.CreateClient();

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, AgentBatches.Batch("b", "h", AgentBatches.ExecEvent("r"))));

        await IntakeAssertions.ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("{\"batch_id\": \"x\", \"events\": [", "body")]
    [InlineData("[1, 2, 3]", "body")]
    [InlineData("{\"hostname\": \"h\", \"events\": []}", "batch_id")]
    [InlineData("{\"batch_id\": \"has spaces\", \"hostname\": \"h\", \"events\": [{}]}", "batch_id")]
    [InlineData("{\"batch_id\": \"b\", \"events\": [{}]}", "hostname")]
    [InlineData("{\"batch_id\": \"b\", \"hostname\": \"h\"}", "events")]
    [InlineData("{\"batch_id\": \"b\", \"hostname\": \"h\", \"events\": []}", "events")]
    [InlineData("{\"batch_id\": \"b\", \"hostname\": \"h\", \"events\": [42]}", "events[0]")]
    public async Task MalformedBatch_Is400NamingTheProblem(string body, string errorKey)
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, System.Text.Encoding.UTF8.GetBytes(body)));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(errorKey, out var messages), $"an error for {errorKey}: {problem}");
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task EventMissingRuleId_Is400NamingTheEvent_AndNothingOfTheBatchIsStored()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var bad = AgentBatches.ExecEvent("r");
        bad["agent"]!.AsObject().Remove("rule_id");
        bad.Remove("title");

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey,
            AgentBatches.Batch("partly-bad", "h", AgentBatches.ExecEvent("good_rule"), bad)));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal("rule_id is required and must be a non-empty string.", errors.GetProperty("events[1].agent.rule_id")[0].GetString());
        Assert.True(errors.TryGetProperty("events[1].title", out _));
        Assert.False(errors.TryGetProperty("events[0].agent.rule_id", out _));
        await Task.Delay(300);
        Assert.Equal((0, 0, 0), await IntakeAssertions.StoredAsync(Host, org.Id));
    }

    [Theory]
    [InlineData(-30, "older than")]
    [InlineData(2 * 24 * 60, "in the future")]
    public async Task EventWithImplausibleDate_Is400(int minutesFromNowSign, string expected)
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        // -30 means 30 days ago; a positive value is minutes ahead.
        var date = minutesFromNowSign < 0 ? DateTimeOffset.UtcNow.AddDays(minutesFromNowSign) : DateTimeOffset.UtcNow.AddMinutes(minutesFromNowSign);

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey,
            AgentBatches.Batch("dated", "h", AgentBatches.ExecEvent("r", date))));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetProperty("errors").GetProperty("events[0].date")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventWithUnparseableDate_Is400()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        var evt = AgentBatches.ExecEvent("r");
        evt["date"] = "yesterday-ish";

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, AgentBatches.Batch("d", "h", evt)));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("date must be an ISO 8601 timestamp.", problem.GetProperty("errors").GetProperty("events[0].date")[0].GetString());
    }

    [Fact]
    public async Task UnsupportedContentEncoding_Is415()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, [1, 2, 3], "br"));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("'br'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptGzip_Is400()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, "this is not gzip"u8.ToArray(), "gzip"));

        var problem = await IntakeAssertions.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Corrupt body", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task RejectedBatch_DoesNotDisturbABatchAcceptedBefore()
    {
        var org = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();
        using var good = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey,
            AgentBatches.Batch("good", "h", AgentBatches.ExecEvent("kept_rule"))));
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);

        using var bad = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, "{ not json"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(Host, org.Id)) == (1, 1, 1), "the good batch stored");
    }

    [Fact]
    public async Task EventsOfOneOrganization_AreInvisibleToAnother()
    {
        var orgA = await TestOrganization.CreateAsync(Host.Services);
        var orgB = await TestOrganization.CreateAsync(Host.Services);
        using var http = Host.CreateClient();

        using var response = await http.SendAsync(AgentBatches.IntakeRequest(orgA.AgentApiKey,
            AgentBatches.Batch("only-a", "h", AgentBatches.ExecEvent("rule_of_a"))));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(async () => (await IntakeAssertions.StoredAsync(Host, orgA.Id)).Events == 1, "org A's event stored");
        Assert.Equal((0, 0, 0), await IntakeAssertions.StoredAsync(Host, orgB.Id));
    }
}
