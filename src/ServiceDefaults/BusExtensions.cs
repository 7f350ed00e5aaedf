using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Vigil.ServiceDefaults;

/// <summary>
/// The message bus: RabbitMQ when <c>ConnectionStrings:RabbitMq</c> (an amqp:// URI) is set, MassTransit's
/// in-memory transport otherwise (embedded mode). Call once per process, after the roles, passing the
/// consumers of every role the process hosts.
/// </summary>
public static class BusExtensions
{
    public static IHostApplicationBuilder AddVigilBus(
        this IHostApplicationBuilder builder, params Action<IBusRegistrationConfigurator>[] roleConsumers)
    {
        var rabbit = builder.Configuration.GetConnectionString("RabbitMq");
        var waitUntilStarted = builder.Configuration.GetValue("Vigil:Bus:WaitUntilStarted", true);

        builder.Services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            foreach (var add in roleConsumers)
                add(x);

            if (string.IsNullOrWhiteSpace(rabbit))
            {
                x.UsingInMemory((ctx, cfg) => cfg.ConfigureEndpoints(ctx));
            }
            else
            {
                x.UsingRabbitMq((ctx, cfg) =>
                {
                    cfg.Host(new Uri(rabbit));
                    cfg.ConfigureEndpoints(ctx);
                });
            }
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = waitUntilStarted;
            o.StartTimeout = TimeSpan.FromSeconds(30);
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        return builder;
    }
}
