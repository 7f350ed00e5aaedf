using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Vigil.Api.Features.Notifications.Delivery;

/// <summary>
/// Per-channel token buckets (burst = the per-minute limit, refilled evenly) on this Api instance. A
/// delivery over the limit is postponed, not dropped, and does not count as an attempt.
/// </summary>
public sealed class ChannelRateLimiter : IDisposable
{
    private readonly ConcurrentDictionary<(Guid Channel, int PerMinute), TokenBucketRateLimiter> _buckets = new();

    public bool TryAcquire(Guid channelId, int perMinute, out TimeSpan retryAfter)
    {
        perMinute = Math.Max(1, perMinute);
        var bucket = _buckets.GetOrAdd((channelId, perMinute), key => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = key.PerMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / key.PerMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        using var lease = bucket.AttemptAcquire();
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1) / perMinute;
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
            bucket.Dispose();
    }
}
