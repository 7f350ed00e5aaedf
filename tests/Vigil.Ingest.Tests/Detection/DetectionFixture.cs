using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Vigil.Api;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;
using Vigil.Data.Entities;
using Vigil.Testing;

namespace Vigil.Ingest.Tests.Detection;

/// <summary>Ingest and Api on this run's PostgreSQL and RabbitMQ: rules go in through the API, events through the intake.</summary>
public sealed class DetectionFixture : IAsyncLifetime
{
    public VigilTestHost Ingest { get; private set; } = null!;
    public VigilTestHost Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Ingest = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());
        Api = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build,
            (await TestConfiguration.ProductionAsync()).With("Vigil:Jobs:Enabled", "false"));
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Ingest.DisposeAsync();
    }

    /// <summary>A fresh organization and an admin client of the Api.</summary>
    public async Task<(TestOrganization Org, HttpClient Admin)> OrganizationAsync()
    {
        var org = await TestOrganization.CreateAsync(Api.Services);
        var http = Api.CreateClient();
        using var login = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest(org.AdminEmail, org.Password), ApiJson.Options);
        var token = (await login.Content.ReadFromJsonAsync<LoginResponse>(ApiJson.Options))!.Token;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (org, http);
    }

    public static async Task<Guid> CreateRuleAsync(HttpClient admin, DetectionRuleDefinition rule)
    {
        using var response = await admin.PostAsJsonAsync("api/v2/detection-rules", new DetectionRuleRequest(rule), ApiJson.Options);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DetectionRuleDto>(ApiJson.Options))!.Id;
    }

    /// <summary>Posts one batch through the real intake and waits until it is stored (and so detected).</summary>
    public async Task PostAsync(TestOrganization org, string host, JsonNode[] events, string[]? tags = null, VigilTestHost? through = null)
    {
        var ingest = through ?? Ingest;
        using var http = ingest.CreateClient();
        var batchId = $"b-{Guid.NewGuid():N}";
        var batch = AgentBatches.Batch(batchId, host, events);
        if (tags is not null)
            batch["tags"] = new JsonArray(tags.Select(t => (JsonNode)t).ToArray());
        using var response = await http.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey, batch));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = ingest.CreateScope(org.Id, out var db);
            return await db.IngestedBatches.AnyAsync(b => b.BatchId == batchId);
        }, $"batch {batchId} stored");
    }

    public async Task<List<Signal>> SignalsAsync(TestOrganization org, Guid ruleId)
    {
        await using var scope = Ingest.CreateScope(org.Id, out var db);
        var id = ruleId.ToString();
        return await db.Signals.AsNoTracking().Where(s => s.RuleId == id).OrderBy(s => s.FirstSeen).ToListAsync();
    }

    /// <summary>An exec event of an agent rule at a given time, with an optional executable path.</summary>
    public static JsonNode Event(string agentRuleId, DateTimeOffset at, string path = "/usr/bin/bash") =>
        AgentBatches.ExecEvent(agentRuleId, at, path);
}
