using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Agent.Shipping;

/// <summary>Outcome of one attempt to ship a batch.</summary>
public enum ShipResult { Accepted, Duplicate, RetryLater, Rejected }

/// <summary>
/// Posts gzip-compressed batches to Ingest with the agent API key. A batch keeps its id across retries,
/// so Ingest stores it once however often it is resent.
/// </summary>
public sealed class IntakeClient(HttpClient http, AgentSettings settings)
{
    public const string Path = "api/v2/agent/events";

    public async Task<(ShipResult Result, TimeSpan RetryAfter, string? Error)> ShipAsync(
        string batchId, IReadOnlyList<JsonObject> events, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["batch_id"] = batchId,
            ["hostname"] = settings.Hostname,
            ["agent_version"] = AgentSettings.Version,
            ["events"] = new JsonArray(events.Select(e => (JsonNode)e.DeepClone()).ToArray()),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.IngestUrl, Path));
        request.Headers.Add("DD-API-KEY", settings.ApiKey);
        request.Content = Gzip(JsonSerializer.SerializeToUtf8Bytes(body));

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            return (ShipResult.RetryLater, TimeSpan.FromSeconds(5), e.Message);
        }
        using (response)
        {
            var retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5);
            return response.StatusCode switch
            {
                HttpStatusCode.Accepted => (ShipResult.Accepted, TimeSpan.Zero, null),
                HttpStatusCode.OK => (ShipResult.Duplicate, TimeSpan.Zero, null),
                HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or >= HttpStatusCode.InternalServerError
                    => (ShipResult.RetryLater, retryAfter, $"{(int)response.StatusCode}"),
                _ => (ShipResult.Rejected, TimeSpan.Zero, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}"),
            };
        }
    }

    private static ByteArrayContent Gzip(byte[] json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(json);
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
