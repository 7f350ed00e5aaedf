using System.Net.Http.Headers;
using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data.Entities;
using Vigil.Testing;

namespace Vigil.Api.Tests;

/// <summary>An Api process on this run's PostgreSQL and RabbitMQ, with helpers to act as a user or key.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public VigilTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build, await TestConfiguration.ProductionAsync());

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public HttpClient Client(string? bearer = null)
    {
        var http = Host.CreateClient();
        if (bearer is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }

    public async Task<string> LoginAsync(string email, string password)
    {
        using var http = Client();
        using var response = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest(email, password), ApiJson.Options);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<LoginResponse>(ApiJson.Options))!.Token;
    }

    /// <summary>Stores signals for an org directly, as the detection consumer would.</summary>
    public async Task<List<Signal>> AddSignalsAsync(Guid organizationId, int count, string ruleId = "test_rule")
    {
        await using var scope = Host.CreateScope(organizationId, out var db);
        var start = DateTime.UtcNow.AddMinutes(-count);
        var signals = Enumerable.Range(0, count).Select(i => new Signal
        {
            RuleId = ruleId, AgentRuleId = ruleId, Title = $"{ruleId} #{i}", Severity = Severity.High, Hostname = $"host-{i}",
            GroupKey = $"host:host-{i}", FirstSeen = start.AddMinutes(i), LastSeen = start.AddMinutes(i), EventCount = 1,
            SampleEventJson = $"{{\"agent\":{{\"rule_id\":\"{ruleId}\"}},\"title\":\"t{i}\"}}",
        }).ToList();
        db.Signals.AddRange(signals);
        await db.SaveChangesAsync();
        return signals;
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
