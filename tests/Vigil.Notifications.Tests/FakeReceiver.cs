using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vigil.ServiceDefaults;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.Notifications.Tests;

/// <summary>How the fake answers requests to one path.</summary>
public enum ReceiverMode
{
    /// <summary>Slack: 200 "ok"; PagerDuty: 202 with the dedup key; webhook: 200.</summary>
    Ok,
    Fail500,
    /// <summary>429 with Retry-After (seconds in <see cref="FakeReceiver.RetryAfterSeconds"/>).</summary>
    TooMany,
    BadRequest,
    /// <summary>Accepts the request and never answers (until the caller gives up).</summary>
    Hang,
}

public sealed record ReceivedRequest(DateTimeOffset At, string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredWith);

/// <summary>
/// A real HTTP server on 127.0.0.1 that records what Slack, PagerDuty and webhook receivers would get, and
/// answers per path as told: OK, 500, 429 + Retry-After, 400, or hangs.
/// </summary>
public sealed class FakeReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ReceiverMode> _modes = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    private FakeReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }
    public int RetryAfterSeconds { get; set; } = 2;

    public static async Task<FakeReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        FakeReceiver? self = null;
        app.MapMethods("/{**path}", ["POST", "PUT", "PATCH"], async (HttpContext http) => await self!.HandleAsync(http));
        await app.StartAsync();
        var address = BoundAddress.Of(app.Services.GetRequiredService<IServer>())!;
        self = new FakeReceiver(app, address);
        return self;
    }

    public string Url(string path) => new Uri(Address, path.TrimStart('/')).ToString();

    public void Set(string path, ReceiverMode mode) => _modes["/" + path.TrimStart('/')] = mode;

    public IReadOnlyList<ReceivedRequest> Requests(string path) =>
        _requests.Where(r => r.Path == "/" + path.TrimStart('/')).ToList();

    public ReceivedRequest? FirstOf(string path) => Requests(path) is { Count: > 0 } list ? list[0] : null;

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = http.Request.Path.Value ?? "/";
        var mode = _modes.GetValueOrDefault(path, ReceiverMode.Ok);
        var code = mode switch
        {
            ReceiverMode.Fail500 => 500,
            ReceiverMode.TooMany => 429,
            ReceiverMode.BadRequest => 400,
            ReceiverMode.Hang => 0,
            _ => path.Contains("pagerduty", StringComparison.Ordinal) ? 202 : 200,
        };
        _requests.Enqueue(new ReceivedRequest(DateTimeOffset.UtcNow, http.Request.Method, path,
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, code));
        if (mode == ReceiverMode.Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // the sender gave up, as it should
            }
            return;
        }
        http.Response.StatusCode = code;
        if (mode == ReceiverMode.TooMany)
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        await http.Response.WriteAsync(code switch
        {
            202 => """{"status":"success","message":"Event processed"}""",
            200 => "ok",
            400 => "invalid_payload",
            _ => "error",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
