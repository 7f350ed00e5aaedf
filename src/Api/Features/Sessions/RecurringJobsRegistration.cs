using Hangfire;
using Vigil.ServiceDefaults;

namespace Vigil.Api.Features.Sessions;

/// <summary>Declares the Api's recurring Hangfire jobs at start (idempotent: same id, same schedule).</summary>
public sealed class RecurringJobsRegistration(IRecurringJobManager jobs) : IStartupTask
{
    public int Order => StartupTaskOrder.Seeding + 10;

    public Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        jobs.AddOrUpdate<ExpiredSessionPurgeJob>(ExpiredSessionPurgeJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        return Task.CompletedTask;
    }
}
