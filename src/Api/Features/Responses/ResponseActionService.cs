using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Features.Triage;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Responses;

/// <summary>
/// Responses a person starts from a signal. A kill is only accepted for a process the signal's own events name
/// (the matched process, its parent or an ancestor), on the signal's host, and the executable seen there is pinned
/// so the agent refuses if the pid now runs something else. The agent also applies its safeguards (pid 1, kernel
/// threads, itself and its ancestors, its allow list) whatever the request says.
/// </summary>
public sealed class ResponseActionService(VigilDbContext db, TimeProvider clock)
{
    /// <summary>Sample events read to find the signal's processes.</summary>
    public const int MaxEventsRead = 100;

    /// <summary>Signals an operator may send: SIGKILL and SIGTERM.</summary>
    public static readonly IReadOnlySet<int> AllowedSignals = new HashSet<int> { 9, 15 };

    public abstract record Outcome
    {
        public sealed record Accepted(ResponseActionDto Action) : Outcome;
        public sealed record Invalid(Dictionary<string, string[]> Errors) : Outcome;
        public sealed record NotFound : Outcome;
    }

    public async Task<Outcome> RequestKillAsync(Guid signalId, KillProcessRequest request, Actor actor, CancellationToken ct)
    {
        var signal = await db.Signals.AsNoTracking().FirstOrDefaultAsync(s => s.Id == signalId, ct);
        if (signal is null) return new Outcome.NotFound();
        var unixSignal = request.Signal ?? 9;
        if (!AllowedSignals.Contains(unixSignal))
            return Invalid("signal", "signal must be 9 (SIGKILL) or 15 (SIGTERM).");
        if (request.Pid <= 1)
            return Invalid("pid", "pid must be a process of the signal (greater than 1).");

        var processes = await ProcessesOfAsync(signal, ct);
        if (!processes.TryGetValue(request.Pid, out var path))
            return Invalid("pid", $"pid {request.Pid} is not a process of this signal's events (the matched process, its parent or an ancestor).");

        var action = new ResponseAction
        {
            SignalId = signal.Id,
            Hostname = signal.Hostname,
            Kind = ResponseActionStates.KillProcess,
            ProcessId = request.Pid,
            ExecutablePath = path,
            UnixSignal = unixSignal,
            RequestedByUserId = actor.UserId,
            RequestedByName = actor.Name,
            RequestedAt = clock.GetUtcNow().UtcDateTime,
            State = ResponseActionStates.Pending,
        };
        db.ResponseActions.Add(action);
        db.SignalChanges.Add(new SignalChange
        {
            SignalId = signal.Id, ActorUserId = actor.UserId, ActorName = actor.Name, Field = "response",
            NewValue = $"kill pid {request.Pid} ({path ?? "unknown executable"}) with signal {unixSignal}: requested", At = action.RequestedAt,
        });
        await db.SaveChangesAsync(ct);
        return new Outcome.Accepted(ToDto(action));
    }

    public async Task<List<ResponseActionDto>?> ListAsync(Guid signalId, CancellationToken ct)
    {
        if (!await db.Signals.AnyAsync(s => s.Id == signalId, ct)) return null;
        var actions = await db.ResponseActions.AsNoTracking().Where(a => a.SignalId == signalId)
            .OrderByDescending(a => a.RequestedAt).Take(100).ToListAsync(ct);
        return [.. actions.Select(ToDto)];
    }

    /// <summary>pid → executable path of every process the signal's sample events name.</summary>
    private async Task<Dictionary<int, string?>> ProcessesOfAsync(Signal signal, CancellationToken ct)
    {
        var texts = await db.SignalEvents.AsNoTracking().Where(l => l.SignalId == signal.Id)
            .Join(db.AgentEvents.AsNoTracking(), l => l.EventId, e => e.Id, (l, e) => e.Json)
            .Take(MaxEventsRead).ToListAsync(ct);
        texts.Add(signal.SampleEventJson);
        var processes = new Dictionary<int, string?>();
        foreach (var text in texts)
        {
            using var json = JsonDocument.Parse(text);
            foreach (var node in SignalEntities.From(json.RootElement, signal.Hostname).ProcessTree)
            {
                if (node.Pid is > 1 and <= int.MaxValue)
                    processes.TryAdd((int)node.Pid.Value, node.Path);
            }
        }
        return processes;
    }

    private static Outcome.Invalid Invalid(string field, string message) => new Outcome.Invalid(new() { [field] = [message] });

    public static ResponseActionDto ToDto(ResponseAction a) => new(
        a.Id, a.Kind, a.Hostname, a.ProcessId, a.ExecutablePath, a.UnixSignal, a.State, a.Detail, a.RequestedByName,
        a.RequestedAt.ToUtcOffset(), a.CompletedAt?.ToUtcOffset(), a.AgentLatencyMs);
}
