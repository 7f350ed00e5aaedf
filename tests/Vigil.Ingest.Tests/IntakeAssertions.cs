using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Testing;

namespace Vigil.Ingest.Tests;

internal static class IntakeAssertions
{
    /// <summary>Asserts the status and a ProblemDetails body; returns the body for further checks.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        Assert.True(document.RootElement.TryGetProperty("title", out _), "a ProblemDetails title");
        return document.RootElement.Clone();
    }

    public static async Task<(int Batches, int Events, int Signals)> StoredAsync(VigilTestHost host, Guid organizationId)
    {
        await using var scope = host.CreateScope(organizationId, out var db);
        return (await db.IngestedBatches.CountAsync(), await db.AgentEvents.CountAsync(), await db.Signals.CountAsync());
    }
}
