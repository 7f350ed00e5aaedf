using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Api.Features.Sessions;
using Vigil.Core.Security;
using Vigil.Data.Entities;
using Vigil.Testing;

namespace Vigil.Api.Tests;

/// <summary>Hangfire on PostgreSQL runs the Api's recurring jobs.</summary>
[Collection(ApiCollection.Name)]
public sealed class BackgroundJobsTests(ApiFixture api)
{
    [Fact]
    public async Task SessionPurge_TriggeredOnHangfire_DeletesOnlyLongExpiredSessions()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        var liveToken = await api.LoginAsync(org.AdminEmail, org.Password);
        Guid expiredId;
        await using (var scope = api.Host.CreateScope(org.Id, out var db))
        {
            var user = await db.Users.FirstAsync(u => u.Email == org.AdminEmail);
            var expired = new UserSession
            {
                UserId = user.Id, TokenHash = SecretKeys.Hash(SecretKeys.Generate(SecretKind.SessionToken)),
                CreatedAt = DateTime.UtcNow.AddDays(-3), ExpiresAt = DateTime.UtcNow.AddDays(-2),
            };
            db.UserSessions.Add(expired);
            await db.SaveChangesAsync();
            expiredId = expired.Id;
        }

        var jobId = ((IRecurringJobManagerV2)api.Host.Services.GetRequiredService<IRecurringJobManager>()).TriggerJob(ExpiredSessionPurgeJob.RecurringJobId);

        try
        {
            await Eventually.TrueAsync(async () =>
            {
                await using var scope = api.Host.CreateScope(org.Id, out var db);
                return !await db.UserSessions.AnyAsync(s => s.Id == expiredId);
            }, "the expired session purged by the Hangfire job", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            using var connection = api.Host.Services.GetRequiredService<JobStorage>().GetConnection();
            var state = jobId is null ? null : connection.GetStateData(jobId);
            Assert.Fail($"job {jobId} is in state {state?.Name}: {state?.Reason}");
        }
        using var http = api.Client(liveToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("api/v2/signals")).StatusCode);
    }
}
