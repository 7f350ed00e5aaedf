namespace Vigil.Server;

/// <summary>The all-in-one process as Program.cs and the tests build it.</summary>
public static class ServerHost
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddVigilServer();
        var app = builder.Build();
        app.MapVigilServer();
        return app;
    }
}
