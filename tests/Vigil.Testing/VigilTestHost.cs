using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Data;
using Vigil.ServiceDefaults;

namespace Vigil.Testing;

/// <summary>A real Vigil process role (Api, Ingest, Web or the all-in-one Server) on 127.0.0.1, random port.</summary>
public sealed class VigilTestHost : IAsyncDisposable
{
    private VigilTestHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }
    public Uri Address { get; }
    public IServiceProvider Services => App.Services;

    /// <summary>
    /// Builds the role exactly as its Program.cs does (same Build method), then starts it on a random
    /// loopback port, or on the configuration's <c>Urls</c> when <paramref name="bindUrls"/> is false.
    /// </summary>
    public static async Task<VigilTestHost> StartAsync(
        string applicationName, Func<WebApplicationBuilder, WebApplication> build, IDictionary<string, string?> configuration,
        bool bindUrls = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = applicationName,
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (bindUrls)
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(configuration);
        var app = build(builder);
        await app.StartVigilAsync();
        var address = BoundAddress.Of(app.Services.GetRequiredService<IServer>())
            ?? throw new InvalidOperationException("The test host bound no address.");
        return new VigilTestHost(app, address);
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A scope whose DbContext acts for one organization (or for none, when null).</summary>
    public AsyncServiceScope CreateScope(Guid? organizationId, out VigilDbContext db)
    {
        var scope = Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<VigilDbContext>();
        if (organizationId is { } org)
            db.Tenant.Set(org);
        return scope;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
