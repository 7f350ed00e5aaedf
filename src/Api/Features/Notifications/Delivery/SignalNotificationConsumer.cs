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

public sealed class SignalNotificationConsumerDefinition : ConsumerDefinition<SignalNotificationConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SignalNotificationConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r => r.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500)));
}
