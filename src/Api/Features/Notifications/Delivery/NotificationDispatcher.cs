using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Api.Features.Notifications.Channels;
using Vigil.Api.Features.Notifications.Routing;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Notifications.Delivery;

/// <summary>
/// Turns signal updates into delivery rows (the outbox) and one Hangfire job per row. The rows' unique
/// dedup key makes this idempotent: a signal notifies each channel once when opened, once more per higher
/// severity (when its route asks for it), and once when archived (PagerDuty resolve) — never per event.
/// </summary>
public sealed partial class NotificationDispatcher(
    VigilDbContext db, NotificationRouter router, IServiceProvider services, IOptions<NotificationOptions> options,
    TimeProvider clock, ILogger<NotificationDispatcher> logger)
{
    public async Task<int> SignalOpenedAsync(Guid signalId, CancellationToken ct)
    {
        var signal = await db.Signals.AsNoTracking().FirstOrDefaultAsync(s => s.Id == signalId, ct);
        if (signal is null || signal.TriageState == TriageState.Archived)
            return 0;
        var routes = await router.RouteAsync(signal, signal.Severity, options.Value.RenotifyHandlesOnSeverityIncrease, ct);
        return await AddAsync(signal.Id, routes.Select(r => Trigger(r, signal.Severity)), ct);
    }

    /// <summary>An open signal's severity rose: channels whose route allows it hear again; channels never told hear now.</summary>
    public async Task<int> SignalEscalatedAsync(Guid signalId, CancellationToken ct)
    {
        var signal = await db.Signals.AsNoTracking().FirstOrDefaultAsync(s => s.Id == signalId, ct);
        if (signal is null || signal.TriageState == TriageState.Archived)
            return 0;
        var routes = await router.RouteAsync(signal, signal.Severity, options.Value.RenotifyHandlesOnSeverityIncrease, ct);
        var told = (await db.NotificationDeliveries.AsNoTracking()
            .Where(d => d.SignalId == signalId && d.Kind == NotificationKinds.Trigger).Select(d => d.ChannelId).ToListAsync(ct)).ToHashSet();
        return await AddAsync(signal.Id, routes.Where(r => r.RenotifyOnSeverityIncrease || !told.Contains(r.Channel.Id))
            .Select(r => Trigger(r, signal.Severity)), ct);
    }

    /// <summary>The signal was archived: PagerDuty channels that were triggered for it get a resolve with the same dedup key.</summary>
    public async Task<int> SignalArchivedAsync(Signal signal, CancellationToken ct)
    {
        var triggered = await db.NotificationDeliveries.AsNoTracking()
            .Where(d => d.SignalId == signal.Id && d.Kind == NotificationKinds.Trigger)
            .Join(db.NotificationChannels.Where(c => c.Type == ChannelTypes.PagerDuty), d => d.ChannelId, c => c.Id, (d, c) => c.Id)
            .Distinct().ToListAsync(ct);
        return await AddAsync(signal.Id, triggered.Select(channelId => new NotificationDelivery
        {
            ChannelId = channelId, SignalId = signal.Id, Kind = NotificationKinds.Resolve, DedupKey = $"resolve:{signal.Version}",
            Reason = "archived", Status = DeliveryStatus.Pending,
        }), ct);
    }

    public async Task<NotificationDelivery> TestAsync(NotificationChannel channel, CancellationToken ct)
    {
        var row = new NotificationDelivery
        {
            ChannelId = channel.Id, Kind = NotificationKinds.Test, DedupKey = $"test:{Guid.NewGuid():N}", Reason = "test",
            Severity = "medium", Status = DeliveryStatus.Pending,
        };
        await AddAsync(null, [row], ct);
        return row;
    }

    private static NotificationDelivery Trigger(Routing.Route route, Severity severity) => new()
    {
        ChannelId = route.Channel.Id, Kind = NotificationKinds.Trigger, DedupKey = $"trigger:{severity.ToWire()}",
        Severity = severity.ToWire(), Reason = route.Reason, Status = DeliveryStatus.Pending,
    };

    private async Task<int> AddAsync(Guid? signalId, IEnumerable<NotificationDelivery> candidates, CancellationToken ct)
    {
        var rows = candidates.ToList();
        if (rows.Count == 0)
            return 0;
        var existing = signalId is null ? [] : (await db.NotificationDeliveries.AsNoTracking().Where(d => d.SignalId == signalId)
            .Select(d => new { d.ChannelId, d.DedupKey }).ToListAsync(ct)).Select(d => (d.ChannelId, d.DedupKey)).ToHashSet();
        var now = clock.GetUtcNow().UtcDateTime;
        var added = new List<NotificationDelivery>();
        foreach (var row in rows.Where(r => !existing.Contains((r.ChannelId, r.DedupKey))))
        {
            row.SignalId = signalId;
            row.CreatedAt = row.UpdatedAt = now;
            db.NotificationDeliveries.Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
                added.Add(row);
            }
            catch (DbUpdateException)
            {
                // Another instance or a redelivered message added the same (channel, signal, dedup key) first.
                db.Entry(row).State = EntityState.Detached;
                LogDuplicate(logger, row.ChannelId, row.DedupKey);
            }
        }
        foreach (var row in added)
            Enqueue(services, row.OrganizationId, row.Id);
        return added.Count;
    }

    /// <summary>Enqueues the delivery job when this process has Hangfire; otherwise the sweeper of an instance that has it will.</summary>
    public static void Enqueue(IServiceProvider services, Guid organizationId, Guid deliveryId, TimeSpan? delay = null)
    {
        var jobs = services.GetService<IBackgroundJobClient>();
        if (jobs is null)
            return;
        if (delay is { } d && d > TimeSpan.Zero)
            jobs.Schedule<NotificationDeliveryJob>(j => j.RunAsync(organizationId, deliveryId, CancellationToken.None), d);
        else
            jobs.Enqueue<NotificationDeliveryJob>(j => j.RunAsync(organizationId, deliveryId, CancellationToken.None));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery to channel {ChannelId} ({DedupKey}) already exists")]
    private static partial void LogDuplicate(ILogger logger, Guid channelId, string dedupKey);
}
