using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Contracts;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.Api.Tests;

/// <summary>The live hub over a real connection, fed through RabbitMQ: each organization hears only its own signals.</summary>
[Collection(ApiCollection.Name)]
public sealed class LiveSignalsHubTests(ApiFixture api)
{
    [Fact]
    public async Task SignalEvents_ReachOnlyTheSignalsOrganization()
    {
        var orgA = await TestOrganization.CreateAsync(api.Host.Services);
        var orgB = await TestOrganization.CreateAsync(api.Host.Services);
        var (a, heardByA) = await ConnectAsync(await api.LoginAsync(orgA.ReadOnlyEmail, orgA.Password));
        var (b, heardByB) = await ConnectAsync(orgB.ApplicationKey);
        await using var _ = a;
        await using var __ = b;
        var bus = api.Host.Services.GetRequiredService<IBus>();
        var (signalA, signalB) = (Guid.NewGuid(), Guid.NewGuid());

        await bus.Publish(new SignalCreated(orgA.Id, signalA, "r", "Shell on web-1", "high", "web-1", DateTimeOffset.UtcNow));
        await bus.Publish(new SignalSeverityRaised(orgA.Id, signalA, "critical", "high"));
        await bus.Publish(new SignalCreated(orgB.Id, signalB, "r", "Miner on db-1", "low", "db-1", DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => Task.FromResult(heardByA.Count == 2 && heardByB.Count == 1), "each organization hears its signals", TimeSpan.FromSeconds(20));
        await Task.Delay(500); // anything misrouted would have arrived with the rest

        // The bus does not order the two messages of a signal, so neither does this test.
        Assert.Equal([(signalA, LiveSignalUpdate.Created, "high"), (signalA, LiveSignalUpdate.SeverityRaised, "critical")],
            heardByA.Select(c => (c.SignalId, c.Change, c.Severity)).OrderBy(c => c.Change, StringComparer.Ordinal).ToArray());
        Assert.Equal([(signalB, "Miner on db-1")], heardByB.Select(c => (c.SignalId, c.Title)).ToArray());
    }

    [Fact]
    public async Task Connect_WithoutAValidToken_IsRefused()
    {
        var connection = Build("not-a-token");
        await using var _ = connection;

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    private async Task<(HubConnection Connection, ConcurrentQueue<LiveSignalUpdate> Heard)> ConnectAsync(string token)
    {
        var heard = new ConcurrentQueue<LiveSignalUpdate>();
        var connection = Build(token);
        connection.On<LiveSignalUpdate>(LiveSignalsHub.SignalChangedMethod, heard.Enqueue);
        await connection.StartAsync();
        return (connection, heard);
    }

    private HubConnection Build(string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(api.Host.Address, LiveSignalsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
        .Build();
}
