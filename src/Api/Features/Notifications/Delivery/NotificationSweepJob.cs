using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Data;

namespace Vigil.Api.Features.Notifications.Delivery;

/// <summary>
/// Every minute, enqueues deliveries that should have moved but did not: created by a process without
/// Hangfire, whose job was lost between the row and the enqueue, or whose sender died mid-send (lease
/// expired). The only cross-organization read of notifications: it selects ids, and each job then acts
/// for its own organization.
/// </summary>
public sealed class NotificationSweepJob(VigilDbContext db, IServiceProvider services, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const string RecurringJobId = "notification-sweep";
    private const int Batch = 500;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now - options.Value.StaleAfter;
        var due = await db.NotificationDeliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => (d.Status == DeliveryStatus.Pending && d.UpdatedAt < stale)
                || (d.Status == DeliveryStatus.Retrying && d.NextAttemptAt < stale)
                || (d.Status == DeliveryStatus.Sending && d.NextAttemptAt < now))
            .OrderBy(d => d.UpdatedAt).Take(Batch).Select(d => new { d.OrganizationId, d.Id }).ToListAsync(ct);
        foreach (var d in due)
            NotificationDispatcher.Enqueue(services, d.OrganizationId, d.Id);
        return due.Count;
    }
}
