namespace Vigil.Testing;

/// <summary>Configuration of hosts under test: production parts (PostgreSQL + RabbitMQ) or embedded ones (SQLite + in-memory).</summary>
public static class TestConfiguration
{
    /// <summary>PostgreSQL and RabbitMQ of this test run; no first-run seeding, no local agent.</summary>
    public static async Task<Dictionary<string, string?>> ProductionAsync() => new()
    {
        ["ConnectionStrings:Postgres"] = await PostgresTestDatabase.ConnectionStringAsync(),
        ["ConnectionStrings:RabbitMq"] = (await RabbitMqTestVirtualHost.UriAsync()).ToString(),
        ["Vigil:Bootstrap:Enabled"] = "false",
        ["Vigil:LocalAgent:Enabled"] = "false",
    };

    /// <summary>A fresh SQLite file in its own temporary folder, in-memory bus and jobs.</summary>
    public static Dictionary<string, string?> Embedded(out string dataFolder)
    {
        dataFolder = Directory.CreateTempSubdirectory("vigil-test-").FullName;
        return new()
        {
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(dataFolder, "vigil.db")}",
            ["Vigil:Bootstrap:Enabled"] = "false",
            ["Vigil:LocalAgent:Enabled"] = "false",
        };
    }

    public static Dictionary<string, string?> With(this Dictionary<string, string?> configuration, string key, string? value)
    {
        configuration[key] = value;
        return configuration;
    }
}
