using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Agent.Shipping;

/// <summary>Outcome of one attempt to ship a batch.</summary>
public enum ShipResult { Accepted, Duplicate, RetryLater, Rejected }

/// <summary>
/// Posts gzip-compressed batches to Ingest with the agent API key (never logged). A batch keeps its id
/// across retries, so Ingest stores it once however often it is resent.
/// </summary>
public sealed class IntakeClient(HttpClient http, AgentSettings settings)
{
    public const string Path = "api/v2/agent/events";
    private const int MaxErrorBodyChars = 500;

    /// <summary>Builds, compresses and sends a batch of events.</summary>
    public Task<(ShipResult Result, TimeSpan RetryAfter, string? Error)> ShipAsync(
        string batchId, IReadOnlyList<JsonObject> events, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["batch_id"] = batchId,
            ["hostname"] = settings.Hostname,
            ["agent_version"] = AgentSettings.Version,
            ["events"] = new JsonArray(events.Select(e => (JsonNode)e.DeepClone()).ToArray()),
        };
        return SendAsync(Gzip(JsonSerializer.SerializeToUtf8Bytes(body)), ct);
    }

    /// <summary>
    /// Sends a gzip-compressed batch body as is. RetryAfter is the server's Retry-After when it sent one
    /// (429, 503), otherwise 5 s for RetryLater; callers with their own backoff use <see cref="SendDetailedAsync"/>.
    /// </summary>
    public async Task<(ShipResult Result, TimeSpan RetryAfter, string? Error)> SendAsync(byte[] gzippedBody, CancellationToken ct)
    {
        var answer = await SendDetailedAsync(gzippedBody, ct);
        return (answer.Result, answer.RetryAfter ?? (answer.Result == ShipResult.RetryLater ? TimeSpan.FromSeconds(5) : TimeSpan.Zero), answer.Error);
    }

    /// <summary>One attempt; the status code (0 when no answer came) and the server's Retry-After, if any.</summary>
    public async Task<IntakeAnswer> SendDetailedAsync(byte[] gzippedBody, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.IngestUrl, Path));
        request.Headers.Add("DD-API-KEY", settings.ApiKey);
        request.Content = new ByteArrayContent(gzippedBody);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            // Connection refused, reset, DNS failure or the HttpClient timeout: the backend may come back.
            return new IntakeAnswer(ShipResult.RetryLater, 0, null, e.Message);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var retryAfter = RetryAfter(response.Headers.RetryAfter);
            return response.StatusCode switch
            {
                HttpStatusCode.Accepted => new(ShipResult.Accepted, status, null, null),
                HttpStatusCode.OK => new(ShipResult.Duplicate, status, null, null),
                HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError
                    => new(ShipResult.RetryLater, status, retryAfter, $"HTTP {status}"),
                _ => new(ShipResult.Rejected, status, null, $"HTTP {status}: {await ErrorBodyAsync(response, ct)}"),
            };
        }
    }

    public static byte[] Gzip(ReadOnlySpan<byte> json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(json);
        return buffer.ToArray();
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The start of the error body (ProblemDetails): bounded, so a hostile proxy cannot flood the log.</summary>
    private static async Task<string> ErrorBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length <= MaxErrorBodyChars ? text : text[..MaxErrorBodyChars] + "…";
    }
}

/// <summary>What Ingest answered to one attempt. Status 0: no answer (connection failed or timed out).</summary>
public sealed record IntakeAnswer(ShipResult Result, int Status, TimeSpan? RetryAfter, string? Error);
