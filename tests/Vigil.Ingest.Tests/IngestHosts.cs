using Vigil.Testing;

namespace Vigil.Ingest.Tests;

/// <summary>An Ingest process on this run's PostgreSQL and RabbitMQ, with default limits.</summary>
public sealed class ProductionIngest : IAsyncLifetime
{
    public VigilTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>An Ingest process with tight limits, to reach them with small requests.</summary>
public sealed class LimitedIngest : IAsyncLifetime
{
    public const int MaxCompressedBytes = 64 * 1024;
    public const int MaxDecompressedBytes = 256 * 1024;
    public const int MaxEvents = 10;
    public const int Burst = 3;

    public VigilTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, (await TestConfiguration.ProductionAsync())
            .With("Vigil:Ingest:MaxCompressedBytes", $"{MaxCompressedBytes}")
            .With("Vigil:Ingest:MaxDecompressedBytes", $"{MaxDecompressedBytes}")
            .With("Vigil:Ingest:MaxEventsPerBatch", $"{MaxEvents}")
            .With("Vigil:Ingest:BurstPerKey", $"{Burst}")
            .With("Vigil:Ingest:BatchesPerSecondPerKey", "1"));

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>An Ingest process whose RabbitMQ is down (nothing listens on its port): the bus never connects.</summary>
public sealed class IngestWithBrokerDown : IAsyncLifetime
{
    public VigilTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, (await TestConfiguration.ProductionAsync())
            .With("ConnectionStrings:RabbitMq", "amqp://vigil:vigil@127.0.0.1:1/vigil")
            .With("Vigil:Bus:WaitUntilStarted", "false")
            .With("Vigil:Ingest:PublishTimeout", "00:00:02"));

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
