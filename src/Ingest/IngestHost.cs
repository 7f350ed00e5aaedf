using Vigil.ServiceDefaults;

namespace Vigil.Ingest;

/// <summary>The Ingest process as Program.cs and the tests build it.</summary>
public static class IngestHost
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddVigilIngest();
        builder.AddVigilBus(IngestBus.Consumers);
        var app = builder.Build();
        app.MapVigilIngest();
        return app;
    }
}
