using MassTransit;
using Vigil.Api.Features.LiveSignals;
using Vigil.Api.Features.Notifications;

namespace Vigil.Api;

/// <summary>The bus consumers of the Api role: notification routing and the live signal feed.</summary>
public static class ApiBus
{
    public static void Consumers(IBusRegistrationConfigurator bus)
    {
        NotificationsRegistration.Consumers(bus);
        bus.AddConsumer<LiveSignalFeedConsumer, LiveSignalFeedConsumerDefinition>();
    }
}
