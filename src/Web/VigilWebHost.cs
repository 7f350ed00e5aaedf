using Vigil.ServiceDefaults;

namespace Vigil.Web;

/// <summary>The Web process as Program.cs and the tests build it.</summary>
public static class VigilWebHost
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddVigilWeb();
        var app = builder.Build();
        app.MapVigilWeb();
        return app;
    }
}
