using System.Diagnostics;
using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;

namespace Vigil.Agent.Response;

/// <summary>
/// Long-polls Ingest for the response actions people asked of this host (kill a process from a signal), carries
/// each out through the executor and reports the outcome. A poll that fails waits and tries again: the backend
/// may be down, and an action it still holds is offered again later.
/// </summary>
public sealed class ResponseActionClient(HttpClient http, AgentSettings settings, IResponseExecutor executor, Action<string> log)
{
    public const string Path = "api/v2/agent/responses";
    public static readonly TimeSpan PollWait = TimeSpan.FromSeconds(25);
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Actions carried out since start (for status).</summary>
    public int Executed { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var action in await PollAsync(ct))
                    await ExecuteAndReportAsync(action, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                log($"response actions: {e.Message}; retrying in {RetryDelay.TotalSeconds:F0} s");
                await Task.Delay(RetryDelay, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>One poll (waiting up to <paramref name="wait"/> for an action).</summary>
    public async Task<IReadOnlyList<AgentResponseActionDto>> PollAsync(CancellationToken ct, TimeSpan? wait = null)
    {
        var seconds = (int)(wait ?? PollWait).TotalSeconds;
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(settings.IngestUrl, $"{Path}?hostname={Uri.EscapeDataString(settings.Hostname)}&wait={seconds}"));
        request.Headers.Add("DD-API-KEY", settings.ApiKey);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"polling response actions answered HTTP {(int)response.StatusCode}");
        return await response.Content.ReadFromJsonAsync<List<AgentResponseActionDto>>(ApiJson.Options, ct) ?? [];
    }

    public async Task ExecuteAndReportAsync(AgentResponseActionDto action, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var (outcome, detail) = action.Kind == ResponseActionStates.KillProcess
            ? executor.Execute(action)
            : (ResponseActionStates.Failed, $"this agent does not know the action `{action.Kind}`");
        var latency = clock.Elapsed.TotalMilliseconds;
        Executed++;
        log($"response action {action.Id}: {action.Kind} pid {action.Pid}: {outcome}{(detail is null ? "" : " (" + detail + ")")}");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.IngestUrl, $"{Path}/{action.Id}/result"))
        {
            Content = JsonContent.Create(new AgentResponseResultDto(outcome, detail, latency), options: ApiJson.Options),
        };
        request.Headers.Add("DD-API-KEY", settings.ApiKey);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"reporting response action {action.Id} answered HTTP {(int)response.StatusCode}");
    }
}
