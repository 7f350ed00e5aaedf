using MassTransit;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts;
using Vigil.Core.Domain;
using Vigil.Core.Events;
using Vigil.Data;
using Vigil.Data.Entities;
using Vigil.Ingest.Detection;

namespace Vigil.Ingest.Storage;

/// <summary>
/// Stores an accepted batch exactly once per (org, batch id): the batch marker, its events, the detection
/// state and signals they produce and the agent's inventory row commit in one transaction, so a
/// redelivered or retried batch either finds the marker and does nothing, or stores everything.
/// </summary>
public sealed partial class EventBatchConsumer(VigilDbContext db, DetectionEngine detection, ILogger<EventBatchConsumer> logger)
    : IConsumer<EventBatchAccepted>
{
    public async Task Consume(ConsumeContext<EventBatchAccepted> context)
    {
        var ct = context.CancellationToken;
        db.Tenant.Set(context.Message.OrganizationId);

        if (await db.IngestedBatches.AnyAsync(b => b.BatchId == context.Message.BatchId, ct))
        {
            LogDuplicate(logger, context.Message.BatchId);
            return;
        }

        using var received = await ReceivedBatch.OpenAsync(context.Message, ct);
        var batch = received.Message;

        var receivedAt = batch.ReceivedAt.UtcDateTime;
        var events = batch.Events.Select(e => new AgentEvent
        {
            OrganizationId = batch.OrganizationId,
            BatchId = batch.BatchId,
            Hostname = batch.Hostname,
            RuleId = e.RuleId,
            EventType = e.EventType,
            Title = e.Title,
            Timestamp = e.Timestamp.UtcDateTime,
            ReceivedAt = receivedAt,
            Json = "", // the bytes travel apart; AgentEventWriter makes text only where the provider needs it
        }).ToList();
        IReadOnlyList<Signal> signals = [];
        // The whole transaction is retried on failure, so EF's savepoints around each SaveChanges buy nothing.
        db.Database.AutoSavepointsEnabled = false;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.IngestedBatches.Add(new IngestedBatch
            {
                BatchId = batch.BatchId, Hostname = batch.Hostname, EventCount = events.Count, ReceivedAt = receivedAt,
            });
            await db.SaveChangesAsync(ct); // a concurrent duplicate fails here on the primary key
            await AgentEventWriter.WriteAsync(db, events, [.. batch.Events.Select(e => e.Json!.Utf8)], ct);
            signals = await detection.ApplyAsync(batch, events, ct);
            await TouchAgentHostAsync(batch, receivedAt, ct);
            await DetectionRowUpdates.WriteAsync(db, batch.OrganizationId, ct); // one UPDATE per table, not per row
            await db.SaveChangesAsync(ct);
            await SignalEventWriter.WriteAsync(db, detection.Links, ct); // after the signals they reference
            await tx.CommitAsync(ct);
        });

        foreach (var s in signals)
        {
            await context.Publish(new SignalCreated(s.OrganizationId, s.Id, s.RuleId, s.Title, s.Severity.ToWire(),
                s.Hostname, new DateTimeOffset(s.FirstSeen, TimeSpan.Zero)), ct);
        }
        foreach (var (s, previous) in detection.Escalated)
            await context.Publish(new SignalSeverityRaised(s.OrganizationId, s.Id, s.Severity.ToWire(), previous.ToWire()), ct);
        LogStored(logger, batch.BatchId, events.Count, signals.Count);
    }

    private async Task TouchAgentHostAsync(EventBatchAccepted batch, DateTime seenAt, CancellationToken ct)
    {
        var host = await db.AgentHosts.FirstOrDefaultAsync(h => h.Hostname == batch.Hostname, ct);
        if (host is null)
        {
            host = new AgentHost
            {
                Hostname = batch.Hostname, AgentVersion = batch.AgentVersion, FirstSeen = seenAt, LastSeen = seenAt,
            };
            db.AgentHosts.Add(host);
        }
        else
        {
            host.LastSeen = seenAt > host.LastSeen ? seenAt : host.LastSeen;
            host.AgentVersion = batch.AgentVersion ?? host.AgentVersion;
        }
        // Oldest first: a batch may carry several heartbeats (a spool flushed after an outage); the rate is between neighbours.
        foreach (var e in batch.Events.Where(e => e.RuleId == InternalRuleIds.Heartbeat).OrderBy(e => e.Timestamp))
        {
            if (AgentHeartbeat.TryRead(e.Json!.Element, e.Timestamp.UtcDateTime) is { } heartbeat)
                AgentHostHealth.Apply(host, heartbeat);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} was already stored; skipped")]
    private static partial void LogDuplicate(ILogger logger, string batchId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored batch {BatchId}: {EventCount} events, {SignalCount} new signals")]
    private static partial void LogStored(ILogger logger, string batchId, int eventCount, int signalCount);
}

/// <summary>
/// One host's batches are stored one at a time on an instance (partitioned by organization and host), so
/// they never race on the same detection state there; conflicts with other instances are retried with
/// growing, jittered delays for minutes before a batch could reach the error queue (where it is kept,
/// not dropped).
/// </summary>
public sealed class EventBatchConsumerDefinition : ConsumerDefinition<EventBatchConsumer>
{
    public const int Partitions = 32;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<EventBatchConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Exponential(30, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(200)));
        consumerConfigurator.Message<EventBatchAccepted>(m =>
            m.UsePartitioner(Partitions, c => $"{c.Message.OrganizationId:N}:{c.Message.Hostname}"));
    }
}
