using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Testing;

/// <summary>Agent events in the Datadog agent-event shape and the batches that carry them.</summary>
public static class AgentBatches
{
    public const string IntakePath = "api/v2/agent/events";

    /// <summary>An exec event as an agent rule like Datadog's <c>shell_spawned</c> would report it.</summary>
    public static JsonObject ExecEvent(string ruleId, DateTimeOffset? date = null, string path = "/usr/bin/bash") => new()
    {
        ["agent"] = new JsonObject { ["rule_id"] = ruleId, ["version"] = "7.70.0", ["os"] = "linux" },
        ["title"] = $"Rule {ruleId} matched",
        ["date"] = (date ?? DateTimeOffset.UtcNow).ToString("O"),
        ["evt"] = new JsonObject { ["name"] = "exec", ["category"] = "Process Activity", ["outcome"] = "Success" },
        ["process"] = new JsonObject
        {
            ["pid"] = 4242, ["ppid"] = 1, ["uid"] = 0, ["user"] = "root", ["comm"] = Path.GetFileName(path),
            ["executable"] = new JsonObject { ["path"] = path, ["name"] = Path.GetFileName(path), ["uid"] = 0, ["gid"] = 0 },
            ["args"] = new JsonArray("-c", "id"),
        },
    };

    public static JsonObject Batch(string batchId, string hostname, params JsonNode[] events) => new()
    {
        ["batch_id"] = batchId,
        ["hostname"] = hostname,
        ["agent_version"] = "0.1.0-test",
        ["events"] = new JsonArray(events.Select(e => e.DeepClone()).ToArray()),
    };

    public static byte[] Utf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node);

    public static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, level, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }

    /// <summary>A POST to the intake with the key (if any) and the body as given, optionally content-encoded.</summary>
    public static HttpRequestMessage IntakeRequest(string? apiKey, byte[] body, string? contentEncoding = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, IntakePath) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (contentEncoding is not null)
            request.Content.Headers.ContentEncoding.Add(contentEncoding);
        if (apiKey is not null)
            request.Headers.Add("DD-API-KEY", apiKey);
        return request;
    }

    public static HttpRequestMessage IntakeRequest(string? apiKey, JsonNode batch) =>
        IntakeRequest(apiKey, Gzip(Utf8(batch)), "gzip");

    public static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
