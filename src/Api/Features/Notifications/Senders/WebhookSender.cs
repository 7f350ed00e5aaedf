using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Vigil.Api.Features.Notifications.Channels;
using Vigil.Api.Features.Notifications.Templates;

namespace Vigil.Api.Features.Notifications.Senders;

/// <summary>
/// A generic webhook: the payload template rendered as JSON, sent with the channel's method and headers,
/// signed with HMAC-SHA256 over the exact body bytes (<c>X-Vigil-Signature: sha256=&lt;hex&gt;</c>) so the
/// receiver can check it came from Vigil. <c>X-Vigil-Delivery</c> lets it drop a retried duplicate.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory http, NotificationTemplates templates) : INotificationSender
{
    public const string SignatureHeader = "X-Vigil-Signature";
    public const string DeliveryHeader = "X-Vigil-Delivery";

    public string Type => ChannelTypes.Webhook;

    public async Task<SendResult> SendAsync(ChannelTarget channel, NotificationSubject subject, Guid deliveryId, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(templates.RenderJson(channel.Settings.WebhookPayloadTemplate, subject));
        using var request = new HttpRequestMessage(new HttpMethod(channel.Settings.WebhookMethod ?? "POST"), channel.Secrets.Url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in channel.Secrets.Headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.Add(DeliveryHeader, deliveryId.ToString());
        if (channel.Secrets.SigningSecret is { Length: > 0 } secret)
            request.Headers.Add(SignatureHeader, Sign(secret, body));
        using var response = await http.CreateClient(NotificationHttp.ClientName).SendAsync(request, ct);
        return await SendResult.FromResponseAsync(response, ct);
    }

    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
