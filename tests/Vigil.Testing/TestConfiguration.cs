namespace Vigil.Testing;

/// <summary>Configuration of hosts under test: production parts (PostgreSQL + RabbitMQ) or embedded ones (SQLite + in-memory).</summary>
public static class TestConfiguration
{
    /// <summary>PostgreSQL and RabbitMQ of this test run; no first-run seeding, no local agent.</summary>
    public static async Task<Dictionary<string, string?>> ProductionAsync() => new(QuietLogging)
    {
        ["ConnectionStrings:Postgres"] = await PostgresTestDatabase.ConnectionStringAsync(),
        ["ConnectionStrings:RabbitMq"] = (await RabbitMqTestVirtualHost.UriAsync()).ToString(),
        ["Vigil:Bootstrap:Enabled"] = "false",
        ["Vigil:LocalAgent:Enabled"] = "false",
    };

    /// <summary>A Web host that talks to the Api at the given address.</summary>
    public static Dictionary<string, string?> WebFor(Uri api) => new(QuietLogging) { ["Vigil:Web:ApiBaseUrl"] = api.ToString() };

    /// <summary>A fresh SQLite file in its own temporary folder, in-memory bus and jobs.</summary>
    public static Dictionary<string, string?> Embedded(out string dataFolder)
    {
        dataFolder = Directory.CreateTempSubdirectory("vigil-test-").FullName;
        return new(QuietLogging)
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(dataFolder, "vigil.db")}",
            ["Vigil:Bootstrap:Enabled"] = "false",
            ["Vigil:LocalAgent:Enabled"] = "false",
        };
    }

    /// <summary>Warnings and errors only, so a failing test's output shows what matters.</summary>
    private static readonly Dictionary<string, string?> QuietLogging = new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Error",
        // Every test logs in from 127.0.0.1; the login limit has its own test.
        ["Vigil:Api:LoginAttemptsPerMinute"] = "100000",
    };

    public static Dictionary<string, string?> With(this Dictionary<string, string?> configuration, string key, string? value)
    {
        configuration[key] = value;
        return configuration;
    }
}
