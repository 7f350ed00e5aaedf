using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Clients;

/// <summary>Notification channels, rules and the delivery log: what the Notifications page manages.</summary>
public sealed partial class VigilApiClient
{
    private const string Channels = "api/v2/notifications/channels/";
    private const string NotificationRules = "api/v2/notifications/rules/";

    public Task<List<NotificationChannelDto>> ListChannelsAsync(CancellationToken ct = default) => GetAsync<List<NotificationChannelDto>>(Channels, ct);

    public Task<NotificationChannelCreatedDto> CreateChannelAsync(NotificationChannelRequest request, CancellationToken ct = default) =>
        SendAsync<NotificationChannelCreatedDto>(HttpMethod.Post, Channels, request, ct);

    public Task<NotificationChannelDto> ReplaceChannelAsync(Guid id, NotificationChannelRequest request, CancellationToken ct = default) =>
        SendAsync<NotificationChannelDto>(HttpMethod.Put, $"{Channels}{id}", request, ct);

    public Task DeleteChannelAsync(Guid id, CancellationToken ct = default) => SendAsync<bool>(HttpMethod.Delete, $"{Channels}{id}", null, ct);

    /// <summary>Queues a test notification; its delivery shows in the log.</summary>
    public Task<NotificationDeliveryDto> TestChannelAsync(Guid id, CancellationToken ct = default) =>
        SendAsync<NotificationDeliveryDto>(HttpMethod.Post, $"{Channels}{id}/test", null, ct);

    public Task<List<NotificationRuleDto>> ListNotificationRulesAsync(CancellationToken ct = default) =>
        GetAsync<List<NotificationRuleDto>>(NotificationRules, ct);

    public Task<NotificationRuleDto> CreateNotificationRuleAsync(NotificationRuleRequest request, CancellationToken ct = default) =>
        SendAsync<NotificationRuleDto>(HttpMethod.Post, NotificationRules, request, ct);

    public Task<NotificationRuleDto> ReplaceNotificationRuleAsync(Guid id, NotificationRuleRequest request, CancellationToken ct = default) =>
        SendAsync<NotificationRuleDto>(HttpMethod.Put, $"{NotificationRules}{id}", request, ct);

    public Task DeleteNotificationRuleAsync(Guid id, CancellationToken ct = default) =>
        SendAsync<bool>(HttpMethod.Delete, $"{NotificationRules}{id}", null, ct);

    public Task<List<NotificationDeliveryDto>> ListDeliveriesAsync(string? status, int limit = 100, CancellationToken ct = default) =>
        GetAsync<List<NotificationDeliveryDto>>(
            $"api/v2/notifications/deliveries/?limit={limit}{(string.IsNullOrEmpty(status) ? "" : "&status=" + Uri.EscapeDataString(status))}", ct);
}
