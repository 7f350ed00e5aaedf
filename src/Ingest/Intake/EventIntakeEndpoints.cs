using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Core.Contracts;
using Vigil.Data;

namespace Vigil.Ingest.Intake;

/// <summary>Answer to an accepted (or already stored) batch.</summary>
public sealed record BatchAcceptedResponse(string BatchId, int Accepted, bool Duplicate);

/// <summary><c>POST /api/v2/agent/events</c>: where agents send what their rules matched.</summary>
public static partial class EventIntakeEndpoints
{
    public const string Route = "/api/v2/agent/events";
    public const string ApiKeyHeader = "DD-API-KEY";
    public const string RateLimitPolicy = "agent-intake";

    public static IEndpointRouteBuilder MapEventIntake(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, PostBatchAsync)
            .WithName("PostAgentEvents")
            .WithTags("Agent intake")
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery();
        return app;
    }

    internal static async Task<Results<Accepted<BatchAcceptedResponse>, Ok<BatchAcceptedResponse>, ProblemHttpResult,
        ValidationProblem>> PostBatchAsync(
        HttpRequest request,
        AgentKeyResolver keys,
        VigilDbContext db,
        IPublishEndpoint bus,
        IOptions<IngestOptions> options,
        TimeProvider clock,
        ILogger<IngestLog> logger,
        CancellationToken ct)
    {
        var limits = options.Value;
        var presented = request.Headers[ApiKeyHeader].ToString();
        if (string.IsNullOrEmpty(presented))
            return Problem(StatusCodes.Status401Unauthorized, "API key required", $"Send the agent API key in the {ApiKeyHeader} header.");
        var orgId = await keys.ResolveAsync(presented, ct);
        if (orgId is null)
            return Problem(StatusCodes.Status403Forbidden, "Invalid API key", "The API key is unknown or has been revoked.");

        var (body, failure, detail) = await BatchBodyReader.ReadAsync(request, limits, ct);
        switch (failure)
        {
            case BodyReadFailure.TooLarge: return Problem(StatusCodes.Status413PayloadTooLarge, "Batch too large", detail);
            case BodyReadFailure.UnsupportedEncoding: return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported encoding", detail);
            case BodyReadFailure.CorruptCompression: return Problem(StatusCodes.Status400BadRequest, "Corrupt body", detail);
        }
        using var posted = body!;

        var now = clock.GetUtcNow();
        var parsed = BatchParser.Parse(posted.Json, limits, now);
        if (parsed.TooManyEvents)
            return Problem(StatusCodes.Status413PayloadTooLarge, "Too many events", parsed.Errors["events"][0]);
        if (parsed.Batch is not { } batch)
            return TypedResults.ValidationProblem(parsed.Errors, title: "The batch is invalid; nothing was stored.");

        db.Tenant.Set(orgId.Value);
        if (await db.IngestedBatches.AnyAsync(b => b.BatchId == batch.BatchId, ct))
        {
            LogDuplicate(logger, batch.BatchId, orgId.Value);
            return TypedResults.Ok(new BatchAcceptedResponse(batch.BatchId, 0, Duplicate: true));
        }

        // The events ride as the body was posted (compressed, a few times smaller than their JSON) in an array of the
        // message's own (the pooled buffers go back when this request ends); the consumer finds event i at events[i].
        var message = new EventBatchAccepted(orgId.Value, batch.BatchId, batch.Hostname, batch.AgentVersion, now, batch.Events, batch.Tags,
            new PostedBatchBody(posted.Encoding, posted.Posted.ToArray(), posted.Json.Length));
        using var publishTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        publishTimeout.CancelAfter(limits.PublishTimeout);
        try
        {
            // Returns once the broker has confirmed the message (publisher confirms): only then is it accepted.
            await bus.Publish(message, publishTimeout.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            LogPublishFailed(logger, e, batch.BatchId, orgId.Value);
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return Problem(StatusCodes.Status503ServiceUnavailable, "Event bus unavailable",
                "The batch could not be handed to the event bus and was not accepted; retry it later with the same batch_id.");
        }

        LogAccepted(logger, batch.BatchId, batch.Events.Count, orgId.Value);
        return TypedResults.Accepted((string?)null, new BatchAcceptedResponse(batch.BatchId, batch.Events.Count, Duplicate: false));
    }

    private static ProblemHttpResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted batch {BatchId} with {Count} events for org {OrganizationId}")]
    private static partial void LogAccepted(ILogger logger, string batchId, int count, Guid organizationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} of org {OrganizationId} was already stored")]
    private static partial void LogDuplicate(ILogger logger, string batchId, Guid organizationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish batch {BatchId} of org {OrganizationId}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string batchId, Guid organizationId);
}

/// <summary>Log category of the intake.</summary>
public sealed class IngestLog;
