using Vigil.ServiceDefaults;

namespace Vigil.Api;

/// <summary>The Api process as Program.cs and the tests build it.</summary>
public static class ApiHost
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddVigilApi();
        builder.AddVigilBus(ApiBus.Consumers);
        var app = builder.Build();
        app.MapVigilApi();
        return app;
    }
}
