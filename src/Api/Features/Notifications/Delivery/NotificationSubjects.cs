using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Api.Features.Notifications.Routing;
using Vigil.Api.Features.Notifications.Templates;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Notifications.Delivery;

/// <summary>Builds what a delivery announces: the signal as stored now (or a sample one for a test), its rule and link.</summary>
public sealed class NotificationSubjects(VigilDbContext db, IOptions<NotificationOptions> options)
{
    public async Task<NotificationSubject?> ForAsync(NotificationDelivery delivery, CancellationToken ct)
    {
        if (delivery.Kind == NotificationKinds.Test || delivery.SignalId is null)
            return Sample(NotificationKinds.Test);
        var signal = await db.Signals.AsNoTracking().FirstOrDefaultAsync(s => s.Id == delivery.SignalId, ct);
        if (signal is null)
            return null;
        var rule = await SignalRuleInfo.ForAsync(db, signal.RuleId, ct);
        return new NotificationSubject(signal, rule.Name, rule.Type, delivery.Severity ?? signal.Severity.ToWire(), Url(signal.Id), delivery.Kind);
    }

    public string Url(Guid signalId) => $"{options.Value.PublicBaseUrl.TrimEnd('/')}/signals/{signalId}";

    /// <summary>A made-up signal for test notifications and template validation.</summary>
    public NotificationSubject Sample(string kind)
    {
        var now = DateTime.UtcNow;
        var signal = new Signal
        {
            Id = Guid.Empty, RuleId = "vigil-test", Title = "Test notification from Vigil", Severity = Severity.Medium,
            Hostname = "test-host", GroupKey = "test", FirstSeen = now, LastSeen = now, EventCount = 1,
            Message = "This is a test of the channel's settings and template. No action is needed.",
            SampleEventJson = """{"title":"Test event","evt":{"name":"exec"},"process":{"executable":{"path":"/usr/bin/true"}},"file":{"path":"/tmp/vigil-test"}}""",
        };
        return new NotificationSubject(signal, "Vigil test", "threshold", "medium", Url(Guid.Empty), kind);
    }
}
