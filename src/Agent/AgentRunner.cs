using System.Text.Json.Nodes;
using Vigil.Agent.Shipping;

namespace Vigil.Agent;

/// <summary>
/// The agent's main loop. Today it ships a heartbeat every interval (retrying the same batch id until
/// Ingest takes it); the kernel probes and rule engine plug in here with their own issues.
/// </summary>
public sealed class AgentRunner(AgentSettings settings, TextWriter log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var intake = new IntakeClient(http, settings);
        log.WriteLine($"vigil-agent {AgentSettings.Version}: host {settings.Hostname}, shipping to {settings.IngestUrl}");
        while (!ct.IsCancellationRequested)
        {
            await ShipUntilTakenAsync(intake, [AgentEventFactory.Heartbeat(DateTimeOffset.UtcNow)], ct);
            await Delay(settings.HeartbeatInterval, ct);
        }
    }

    private async Task ShipUntilTakenAsync(IntakeClient intake, IReadOnlyList<JsonObject> events, CancellationToken ct)
    {
        var batchId = Guid.CreateVersion7().ToString("N");
        while (!ct.IsCancellationRequested)
        {
            var (result, retryAfter, error) = await intake.ShipAsync(batchId, events, ct);
            switch (result)
            {
                case ShipResult.Accepted or ShipResult.Duplicate:
                    return;
                case ShipResult.Rejected:
                    log.WriteLine($"vigil-agent: batch {batchId} rejected ({error}); dropped");
                    return;
                default:
                    log.WriteLine($"vigil-agent: ingest unavailable ({error}); retrying in {retryAfter.TotalSeconds:0} s");
                    await Delay(retryAfter, ct);
                    break;
            }
        }
    }

    private static async Task Delay(TimeSpan wait, CancellationToken ct)
    {
        try
        {
            await Task.Delay(wait, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
