using Vigil.Api;
using Vigil.Ingest;
using Vigil.Testing;
using Vigil.Web;

namespace Vigil.EndToEnd.Tests;

/// <summary>
/// The production deployment in miniature: Ingest, Api and Web as three separate hosts on loopback, on
/// this run's PostgreSQL database and RabbitMQ virtual host, plus one headless Chromium.
/// </summary>
public sealed class ProductionDeployment : IAsyncLifetime
{
    public VigilTestHost Ingest { get; private set; } = null!;
    public VigilTestHost Api { get; private set; } = null!;
    public VigilTestHost Web { get; private set; } = null!;
    public Browser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Ingest = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());
        Api = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build, await TestConfiguration.ProductionAsync());
        Web = await VigilTestHost.StartAsync("Vigil.Web", VigilWebHost.Build, TestConfiguration.WebFor(Api.Address));
        Browser = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Web.DisposeAsync();
        await Api.DisposeAsync();
        await Ingest.DisposeAsync();
    }
}
