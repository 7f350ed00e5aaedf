using Microsoft.EntityFrameworkCore;
using Vigil.Data;

namespace Vigil.Api.Features.Sessions;

/// <summary>
/// Deletes login sessions that expired or were revoked more than a day ago (a Hangfire recurring job).
/// A maintenance job over every organization, hence the one deliberate IgnoreQueryFilters.
/// </summary>
public sealed partial class ExpiredSessionPurgeJob(VigilDbContext db, TimeProvider clock, ILogger<ExpiredSessionPurgeJob> logger)
{
    public const string RecurringJobId = "purge-expired-sessions";

    public async Task RunAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-1);
        var deleted = await db.UserSessions.IgnoreQueryFilters()
            .Where(s => s.ExpiresAt < cutoff || (s.RevokedAt != null && s.RevokedAt < cutoff))
            .ExecuteDeleteAsync(ct);
        LogPurged(logger, deleted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired or revoked sessions")]
    private static partial void LogPurged(ILogger logger, int count);
}
