using MassTransit;
using Vigil.Core.Contracts;
using Vigil.Data;

namespace Vigil.Api.Features.Notifications.Delivery;

/// <summary>
/// Hears about new and escalated signals from the detection engine (over the bus) and creates their
/// deliveries. Redelivery is harmless: deliveries are unique per (channel, signal, dedup key).
/// </summary>
public sealed class SignalNotificationConsumer(VigilDbContext db, NotificationDispatcher dispatcher)
    : IConsumer<SignalCreated>, IConsumer<SignalSeverityRaised>
{
    public async Task Consume(ConsumeContext<SignalCreated> context)
    {
        db.Tenant.Set(context.Message.OrganizationId);
        await dispatcher.SignalOpenedAsync(context.Message.SignalId, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<SignalSeverityRaised> context)
    {
        db.Tenant.Set(context.Message.OrganizationId);
        await dispatcher.SignalEscalatedAsync(context.Message.SignalId, context.CancellationToken);
    }
}

/// <summary>
/// Messages of one signal are handled one at a time on an instance (one partitioner shared by both message
/// types), so they do not race on its delivery rows; across instances the unique index decides.
/// </summary>
public sealed class SignalNotificationConsumerDefinition : ConsumerDefinition<SignalNotificationConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SignalNotificationConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500)));
        var partitioner = endpointConfigurator.CreatePartitioner(16);
        consumerConfigurator.Message<SignalCreated>(m => m.UsePartitioner(partitioner, c => c.Message.SignalId));
        consumerConfigurator.Message<SignalSeverityRaised>(m => m.UsePartitioner(partitioner, c => c.Message.SignalId));
    }
}
