using MassTransit;
using Microsoft.AspNetCore.SignalR;
using Vigil.Core.Contracts;
using Vigil.Core.Contracts.Api;

namespace Vigil.Api.Features.LiveSignals;

/// <summary>
/// Forwards the detection engine's signal events (from the bus) to the hub group of the signal's organization.
/// Every Api instance has its own temporary queue, so each one hears every event and tells its own clients.
/// </summary>
public sealed class LiveSignalFeedConsumer(IHubContext<SignalsHub> hub, TimeProvider clock)
    : IConsumer<SignalCreated>, IConsumer<SignalSeverityRaised>
{
    public Task Consume(ConsumeContext<SignalCreated> context)
    {
        var m = context.Message;
        return SendAsync(m.OrganizationId, new LiveSignalUpdate(m.SignalId, LiveSignalUpdate.Created, m.Title, m.Severity, m.Hostname, m.FirstSeen), context.CancellationToken);
    }

    public Task Consume(ConsumeContext<SignalSeverityRaised> context)
    {
        var m = context.Message;
        return SendAsync(m.OrganizationId, new LiveSignalUpdate(m.SignalId, LiveSignalUpdate.SeverityRaised, null, m.Severity, null, clock.GetUtcNow()), context.CancellationToken);
    }

    private Task SendAsync(Guid organizationId, LiveSignalUpdate change, CancellationToken ct) =>
        hub.Clients.Group(SignalsHub.OrganizationGroup(organizationId)).SendAsync(LiveSignalsHub.SignalChangedMethod, change, ct);
}

/// <summary>One auto-deleted queue per process: a live feed is a broadcast, not work to share out.</summary>
public sealed class LiveSignalFeedConsumerDefinition : ConsumerDefinition<LiveSignalFeedConsumer>
{
    public LiveSignalFeedConsumerDefinition() =>
        Endpoint(e =>
        {
            e.InstanceId = "-" + Guid.NewGuid().ToString("N")[..12];
            e.Temporary = true;
        });
}
