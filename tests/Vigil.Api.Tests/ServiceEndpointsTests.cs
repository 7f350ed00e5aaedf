using System.Net;
using System.Text.Json;

namespace Vigil.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ServiceEndpointsTests(ApiFixture api)
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheSignalsAndAuthEndpoints()
    {
        using var http = api.Client();

        using var response = await http.GetAsync("openapi/v1.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v2/signals", out _));
        Assert.True(paths.TryGetProperty("/api/v2/signals/{id}", out _));
        Assert.True(paths.TryGetProperty("/api/v2/auth/login", out _));
    }

    [Fact]
    public async Task Health_WithPostgresAndRabbitMqUp_IsHealthy()
    {
        using var http = api.Client();

        using var health = await http.GetAsync("health");
        using var alive = await http.GetAsync("alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
