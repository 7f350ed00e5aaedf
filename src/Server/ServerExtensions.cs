using Vigil.Api;
using Vigil.Ingest;
using Vigil.ServiceDefaults;
using Vigil.Web;

namespace Vigil.Server;

/// <summary>Composes every backend role in one process; configuration alone picks embedded or production parts.</summary>
public static class ServerExtensions
{
    public static WebApplicationBuilder AddVigilServer(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddVigilIngest();
        builder.AddVigilApi();
        builder.AddVigilWeb();
        builder.AddVigilBus(IngestBus.Consumers, ApiBus.Consumers);
        builder.Services.AddOptions<LocalAgentOptions>().BindConfiguration(LocalAgentOptions.Section);
        builder.Services.AddHostedService<LocalAgentService>();
        return builder;
    }

    public static WebApplication MapVigilServer(this WebApplication app)
    {
        app.MapVigilIngest();
        app.MapVigilApi();
        app.MapVigilWeb();
        return app;
    }
}
