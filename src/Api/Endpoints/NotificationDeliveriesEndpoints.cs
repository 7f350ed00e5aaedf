using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>The delivery log: every notification with its channel, status, attempts, last error and response code.</summary>
public static class NotificationDeliveriesEndpoints
{
    public const string Route = "/api/v2/notifications/deliveries";
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapNotificationDeliveriesEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup(Route).WithTags("Notifications").RequireAuthorization(ApiAuthentication.Policies.Read);
        read.MapGet("/", ListAsync).WithName("ListNotificationDeliveries");
        read.MapGet("/{id:guid}", GetAsync).WithName("GetNotificationDelivery");
        return app;
    }

    /// <summary>Newest first; filter by signal, channel or status.</summary>
    private static async Task<Results<Ok<List<NotificationDeliveryDto>>, ValidationProblem>> ListAsync(
        VigilDbContext db, Guid? signalId, Guid? channelId, string? status, int? limit, CancellationToken ct)
    {
        var take = limit ?? 100;
        if (take is < 1 or > MaxLimit)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {MaxLimit}."] });
        var query = db.NotificationDeliveries.AsNoTracking();
        if (signalId is { } s)
            query = query.Where(d => d.SignalId == s);
        if (channelId is { } c)
            query = query.Where(d => d.ChannelId == c);
        if (!string.IsNullOrEmpty(status))
            query = query.Where(d => d.Status == status);
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(take)
            .Join(db.NotificationChannels, d => d.ChannelId, ch => ch.Id, (d, ch) => new { d, ch }).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => ToDto(r.d, r.ch)).ToList());
    }

    private static async Task<Results<Ok<NotificationDeliveryDto>, NotFound>> GetAsync(Guid id, VigilDbContext db, CancellationToken ct)
    {
        var row = await db.NotificationDeliveries.AsNoTracking().Where(d => d.Id == id)
            .Join(db.NotificationChannels, d => d.ChannelId, ch => ch.Id, (d, ch) => new { d, ch }).FirstOrDefaultAsync(ct);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(row.d, row.ch));
    }

    internal static NotificationDeliveryDto ToDto(NotificationDelivery d, NotificationChannel c) => new(
        d.Id, d.ChannelId, c.Name, c.Type, d.SignalId, d.Kind, d.Severity, d.Reason, d.Status, d.Attempts, d.LastError, d.ResponseCode,
        d.CreatedAt.ToUtcOffset(), d.UpdatedAt.ToUtcOffset(), d.NextAttemptAt?.ToUtcOffset(), d.DeliveredAt?.ToUtcOffset());
}
