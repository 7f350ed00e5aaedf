using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Api.Features.Notifications.Channels;
using Vigil.Api.Features.Notifications.Senders;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Notifications.Delivery;

/// <summary>
/// Sends one delivery. The row is claimed first (a conditional update), so two copies of the job — a
/// sweeper re-enqueue, a second instance — never send together. Failures worth retrying are rescheduled
/// with exponential backoff (or the receiver's Retry-After); permanent ones stop and stay visible in the log.
/// </summary>
public sealed partial class NotificationDeliveryJob(
    VigilDbContext db, ChannelSecretProtector protector, IEnumerable<INotificationSender> senders, ChannelRateLimiter limiter,
    NotificationSubjects subjects, IServiceProvider services, IOptions<NotificationOptions> options, TimeProvider clock,
    ILogger<NotificationDeliveryJob> logger)
{
    public const string Queue = "notifications";

    [Queue(Queue)]
    [AutomaticRetry(Attempts = 5, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(Guid organizationId, Guid deliveryId, CancellationToken ct)
    {
        db.Tenant.Set(organizationId);
        var delivery = await db.NotificationDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null || delivery.Status is DeliveryStatus.Delivered or DeliveryStatus.Failed)
            return;
        var channel = await db.NotificationChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == delivery.ChannelId, ct);
        if (channel is null || (!channel.Enabled && delivery.Kind != NotificationKinds.Test))
        {
            await FinishAsync(deliveryId, DeliveryStatus.Failed, null, channel is null ? "The channel was deleted." : "The channel is disabled.");
            return;
        }
        if (!limiter.TryAcquire(channel.Id, channel.RateLimitPerMinute, out var wait))
        {
            LogRateLimited(logger, deliveryId, channel.Id, wait);
            NotificationDispatcher.Enqueue(services, organizationId, deliveryId, wait);
            return;
        }
        var opts = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var lease = now + opts.SendTimeout + TimeSpan.FromSeconds(30);
        var claimed = await db.NotificationDeliveries
            .Where(d => d.Id == deliveryId && (d.Status == DeliveryStatus.Pending
                || (d.Status == DeliveryStatus.Retrying && d.NextAttemptAt <= now.AddSeconds(1))
                || (d.Status == DeliveryStatus.Sending && d.NextAttemptAt < now)))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sending).SetProperty(d => d.NextAttemptAt, lease)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1).SetProperty(d => d.UpdatedAt, now), ct);
        if (claimed == 0)
            return;

        var attempts = delivery.Attempts + 1;
        SendResult result;
        try
        {
            // Hangfire keeps schedules to whole seconds, so a retry can start up to a second before it is due
            // (hence the claim's one-second slack): wait out the rest, so a receiver's Retry-After is honoured.
            if (delivery.Status == DeliveryStatus.Retrying && delivery.NextAttemptAt is { } dueAt && dueAt > now)
                await Task.Delay(dueAt - now, clock, ct);
            result = await SendAsync(channel, delivery, opts, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The process is stopping: hand the delivery back, uncounted, for the next run of this job.
            await db.NotificationDeliveries.Where(d => d.Id == deliveryId && d.Status == DeliveryStatus.Sending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Retrying).SetProperty(d => d.NextAttemptAt, now)
                    .SetProperty(d => d.Attempts, d => d.Attempts - 1), CancellationToken.None);
            throw;
        }

        switch (result.Outcome)
        {
            case SendOutcome.Delivered:
                await FinishAsync(deliveryId, DeliveryStatus.Delivered, result.StatusCode, null);
                break;
            case SendOutcome.Permanent:
                await FinishAsync(deliveryId, DeliveryStatus.Failed, result.StatusCode, result.Error);
                LogFailed(logger, deliveryId, channel.Id, result.StatusCode, result.Error);
                break;
            case SendOutcome.Retry when attempts >= opts.MaxAttempts:
                await FinishAsync(deliveryId, DeliveryStatus.Failed, result.StatusCode, $"Gave up after {attempts} attempts. {result.Error}");
                LogFailed(logger, deliveryId, channel.Id, result.StatusCode, result.Error);
                break;
            default:
                var delay = Backoff(opts, attempts, result.RetryAfter);
                var due = clock.GetUtcNow().UtcDateTime + delay;
                await db.NotificationDeliveries.Where(d => d.Id == deliveryId).ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Retrying).SetProperty(d => d.NextAttemptAt, due)
                    .SetProperty(d => d.LastError, Bounded(result.Error)).SetProperty(d => d.ResponseCode, result.StatusCode)
                    .SetProperty(d => d.UpdatedAt, clock.GetUtcNow().UtcDateTime), CancellationToken.None);
                NotificationDispatcher.Enqueue(services, organizationId, deliveryId, delay);
                LogRetry(logger, deliveryId, channel.Id, attempts, delay, result.StatusCode);
                break;
        }
    }

    /// <summary>base × 2^(attempt−1), capped; a receiver's Retry-After wins when it asks for longer.</summary>
    public static TimeSpan Backoff(NotificationOptions options, int attempt, TimeSpan? retryAfter)
    {
        var exponential = options.RetryBaseDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        var delay = exponential > options.RetryMaxDelay ? options.RetryMaxDelay : exponential;
        return retryAfter is { } after && after > delay ? after : delay;
    }

    private async Task<SendResult> SendAsync(NotificationChannel channel, NotificationDelivery delivery, NotificationOptions opts, CancellationToken ct)
    {
        var subject = await subjects.ForAsync(delivery, ct);
        if (subject is null)
            return new SendResult(SendOutcome.Permanent, null, "The signal no longer exists.");
        var sender = senders.FirstOrDefault(s => s.Type == channel.Type);
        if (sender is null)
            return new SendResult(SendOutcome.Permanent, null, $"No sender for channel type {channel.Type}.");
        ChannelTarget target;
        try
        {
            target = protector.Target(channel);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return new SendResult(SendOutcome.Permanent, null, "The channel's secrets cannot be decrypted (data protection keys changed); save the channel again.");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(opts.SendTimeout);
        try
        {
            return await sender.SendAsync(target, subject, delivery.Id, timeout.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or IOException or TimeoutException)
        {
            return SendResult.FromException(e);
        }
    }

    private Task<int> FinishAsync(Guid deliveryId, string status, int? code, string? error)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.NotificationDeliveries.Where(d => d.Id == deliveryId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status).SetProperty(d => d.ResponseCode, code).SetProperty(d => d.LastError, Bounded(error))
            .SetProperty(d => d.NextAttemptAt, (DateTime?)null).SetProperty(d => d.UpdatedAt, now)
            .SetProperty(d => d.DeliveredAt, status == DeliveryStatus.Delivered ? now : null), CancellationToken.None);
    }

    private static string? Bounded(string? error) => error is { Length: > 2000 } ? error[..2000] : error;

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} to channel {ChannelId} postponed {Wait} by the channel's rate limit")]
    private static partial void LogRateLimited(ILogger logger, Guid deliveryId, Guid channelId, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} to channel {ChannelId} failed for good (status {StatusCode}): {Error}")]
    private static partial void LogFailed(ILogger logger, Guid deliveryId, Guid channelId, int? statusCode, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} to channel {ChannelId}: attempt {Attempt} failed (status {StatusCode}); retry in {Delay}")]
    private static partial void LogRetry(ILogger logger, Guid deliveryId, Guid channelId, int attempt, TimeSpan delay, int? statusCode);
}
