using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Api.Features.Notifications.Channels;
using Vigil.Api.Features.Notifications.Delivery;
using Vigil.Api.Features.Notifications.Templates;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>
/// Notification channels: every member reads them (never a secret); admins create, replace, delete and
/// send test notifications. A webhook's signing secret, when Vigil generates it, is shown once, at creation.
/// </summary>
public static class NotificationChannelsEndpoints
{
    public const string Route = "/api/v2/notifications/channels";

    public static IEndpointRouteBuilder MapNotificationChannelsEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup(Route).WithTags("Notifications").RequireAuthorization(ApiAuthentication.Policies.Read);
        read.MapGet("/", ListAsync).WithName("ListNotificationChannels");
        read.MapGet("/{id:guid}", GetAsync).WithName("GetNotificationChannel");

        var admin = app.MapGroup(Route).WithTags("Notifications").RequireAuthorization(ApiAuthentication.Policies.Admin);
        admin.MapPost("/", CreateAsync).WithName("CreateNotificationChannel");
        admin.MapPut("/{id:guid}", ReplaceAsync).WithName("ReplaceNotificationChannel");
        admin.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteNotificationChannel");
        admin.MapPost("/{id:guid}/test", TestAsync).WithName("TestNotificationChannel");
        return app;
    }

    private static async Task<Ok<List<NotificationChannelDto>>> ListAsync(VigilDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.NotificationChannels.AsNoTracking().OrderBy(c => c.Type).ThenBy(c => c.Name).ToListAsync(ct)).Select(ToDto).ToList());

    private static async Task<Results<Ok<NotificationChannelDto>, NotFound>> GetAsync(Guid id, VigilDbContext db, CancellationToken ct) =>
        await db.NotificationChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } row
            ? TypedResults.Ok(ToDto(row)) : TypedResults.NotFound();

    private static async Task<Results<Created<NotificationChannelCreatedDto>, ValidationProblem>> CreateAsync(
        NotificationChannelRequest request, VigilDbContext db, ChannelSecretProtector protector, NotificationTemplates templates,
        NotificationSubjects subjects, CancellationToken ct)
    {
        var errors = ChannelRequestValidator.Validate(request, null, templates, subjects.Sample("trigger"), out var settings, out var secrets);
        if (errors.Count == 0 && await db.NotificationChannels.AnyAsync(c => c.Type == request.Type && c.Name == request.Name, ct))
            errors["name"] = [$"A {request.Type} channel named {request.Name} already exists."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The channel is invalid; nothing was saved.");
        string? generated = null;
        if (request.Type == ChannelTypes.Webhook && secrets.SigningSecret is null)
            secrets = secrets with { SigningSecret = generated = "vgs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) };
        var row = new NotificationChannel
        {
            Type = request.Type, Name = request.Name, SettingsJson = JsonSerializer.Serialize(settings),
            ProtectedSecrets = protector.Protect(db.Tenant.OrganizationId, secrets), TargetHint = ChannelRequestValidator.Hint(request.Type, settings, secrets),
            MessageTemplate = request.MessageTemplate, RateLimitPerMinute = request.RateLimitPerMinute ?? 60, Enabled = request.Enabled,
        };
        db.NotificationChannels.Add(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{Route}/{row.Id}", new NotificationChannelCreatedDto(ToDto(row), generated));
    }

    private static async Task<Results<Ok<NotificationChannelDto>, NotFound, ValidationProblem>> ReplaceAsync(
        Guid id, NotificationChannelRequest request, VigilDbContext db, ChannelSecretProtector protector, NotificationTemplates templates,
        NotificationSubjects subjects, TimeProvider clock, CancellationToken ct)
    {
        var row = await db.NotificationChannels.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (row is null)
            return TypedResults.NotFound();
        var stored = row.Type == request.Type ? protector.Unprotect(row.OrganizationId, row.ProtectedSecrets) : null;
        var errors = ChannelRequestValidator.Validate(request, stored, templates, subjects.Sample("trigger"), out var settings, out var secrets);
        if (errors.Count == 0 && await db.NotificationChannels.AnyAsync(c => c.Id != id && c.Type == request.Type && c.Name == request.Name, ct))
            errors["name"] = [$"A {request.Type} channel named {request.Name} already exists."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The channel is invalid; nothing was saved.");
        row.Type = request.Type;
        row.Name = request.Name;
        row.SettingsJson = JsonSerializer.Serialize(settings);
        row.ProtectedSecrets = protector.Protect(row.OrganizationId, secrets);
        row.TargetHint = ChannelRequestValidator.Hint(request.Type, settings, secrets);
        row.MessageTemplate = request.MessageTemplate;
        row.RateLimitPerMinute = request.RateLimitPerMinute ?? row.RateLimitPerMinute;
        row.Enabled = request.Enabled;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(row));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, VigilDbContext db, CancellationToken ct) =>
        await db.NotificationChannels.Where(c => c.Id == id).ExecuteDeleteAsync(ct) == 0 ? TypedResults.NotFound() : TypedResults.NoContent();

    /// <summary>Queues a test notification (a made-up signal) through the channel; follow it in the delivery log.</summary>
    private static async Task<Results<Accepted<NotificationDeliveryDto>, NotFound>> TestAsync(
        Guid id, VigilDbContext db, NotificationDispatcher dispatcher, CancellationToken ct)
    {
        var channel = await db.NotificationChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
            return TypedResults.NotFound();
        var delivery = await dispatcher.TestAsync(channel, ct);
        return TypedResults.Accepted($"{NotificationDeliveriesEndpoints.Route}/{delivery.Id}", NotificationDeliveriesEndpoints.ToDto(delivery, channel));
    }

    internal static NotificationChannelDto ToDto(NotificationChannel c)
    {
        var s = ChannelSecretProtector.Settings(c);
        return new NotificationChannelDto(
            c.Id, c.Type, c.Name, ChannelTypes.Handle(c.Type, c.Name), c.Enabled, c.RateLimitPerMinute, c.MessageTemplate, c.TargetHint,
            c.Type == ChannelTypes.Email ? new EmailChannelView(s.EmailHost ?? "", s.EmailPort, s.EmailTlsMode ?? "auto", s.EmailFrom ?? "",
                s.EmailTo ?? [], s.EmailUsername, HasPassword: s.EmailHasPassword) : null,
            c.Type == ChannelTypes.Webhook ? new WebhookChannelView(s.WebhookMethod ?? "POST", s.WebhookHeaderNames ?? [], s.WebhookPayloadTemplate) : null,
            c.CreatedAt.ToUtcOffset(), c.UpdatedAt.ToUtcOffset());
    }
}
