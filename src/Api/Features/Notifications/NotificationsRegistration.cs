using Hangfire;
using MassTransit;
using Vigil.Api.Features.Notifications.Channels;
using Vigil.Api.Features.Notifications.Delivery;
using Vigil.Api.Features.Notifications.Routing;
using Vigil.Api.Features.Notifications.Senders;
using Vigil.Api.Features.Notifications.Templates;
using Vigil.ServiceDefaults;

namespace Vigil.Api.Features.Notifications;

/// <summary>Wiring of the notification router: services, the HTTP client, the jobs' own Hangfire server, the bus consumer.</summary>
public static class NotificationsRegistration
{
    public static IHostApplicationBuilder AddVigilNotifications(this IHostApplicationBuilder builder, bool jobsEnabled)
    {
        var services = builder.Services;
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NotificationTemplates>();
        services.AddSingleton<ChannelSecretProtector>();
        services.AddSingleton<ChannelRateLimiter>();
        services.AddScoped<NotificationRouter>();
        services.AddScoped<NotificationSubjects>();
        services.AddScoped<NotificationDispatcher>();
        services.AddScoped<NotificationDeliveryJob>();
        services.AddScoped<NotificationSweepJob>();
        services.AddScoped<INotificationSender, SlackSender>();
        services.AddScoped<INotificationSender, EmailSender>();
        services.AddScoped<INotificationSender, PagerDutySender>();
        services.AddScoped<INotificationSender, WebhookSender>();
        var timeout = builder.Configuration.GetValue($"{NotificationOptions.Section}:SendTimeout", TimeSpan.FromSeconds(15));
        services.AddHttpClient(NotificationHttp.ClientName, c => c.Timeout = timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

        if (jobsEnabled)
        {
            var workers = builder.Configuration.GetValue($"{NotificationOptions.Section}:Workers", 10);
            // Its own server and queue: sends that wait on slow receivers never hold the Api's other jobs.
            services.AddHangfireServer(o =>
            {
                o.ServerName = $"{Environment.MachineName}:notifications:{Guid.NewGuid():N}";
                o.Queues = [NotificationDeliveryJob.Queue];
                o.WorkerCount = workers;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
            services.AddSingleton<IStartupTask, NotificationSweepRegistration>();
        }
        return builder;
    }

    /// <summary>The consumers the Api contributes to the process's bus.</summary>
    public static void Consumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<SignalNotificationConsumer, SignalNotificationConsumerDefinition>();
}

/// <summary>Declares the sweeper as a recurring job (every minute) at start.</summary>
public sealed class NotificationSweepRegistration(IRecurringJobManager jobs) : IStartupTask
{
    public int Order => StartupTaskOrder.Seeding + 11;

    public Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        jobs.AddOrUpdate<NotificationSweepJob>(NotificationSweepJob.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        return Task.CompletedTask;
    }
}
