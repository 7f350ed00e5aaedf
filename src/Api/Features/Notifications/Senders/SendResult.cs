using System.Net;
using Vigil.Api.Features.Notifications.Channels;
using Vigil.Api.Features.Notifications.Templates;

namespace Vigil.Api.Features.Notifications.Senders;

public enum SendOutcome
{
    Delivered,
    /// <summary>Worth trying again later (5xx, 429, timeout, connection refused).</summary>
    Retry,
    /// <summary>The receiver refused the notification itself (4xx other than 408/429): retrying cannot help.</summary>
    Permanent,
}

/// <summary>How one attempt went. <c>Error</c> never contains a secret (no URL, no key).</summary>
public sealed record SendResult(SendOutcome Outcome, int? StatusCode = null, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);

    public static async Task<SendResult> FromResponseAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var code = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
            return new SendResult(SendOutcome.Delivered, code);
        var body = await ReadSnippetAsync(response, ct);
        var error = $"HTTP {code} {response.ReasonPhrase}: {body}".Trim().TrimEnd(':');
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return new SendResult(SendOutcome.Retry, code, error, RetryAfterOf(response));
        if (code is 408 || code >= 500)
            return new SendResult(SendOutcome.Retry, code, error, code == 503 ? RetryAfterOf(response) : null);
        return new SendResult(SendOutcome.Permanent, code, error);
    }

    public static SendResult FromException(Exception e) => new(SendOutcome.Retry, null, e switch
    {
        TaskCanceledException or TimeoutException => "The receiver did not answer in time.",
        HttpRequestException http => $"Connection failed: {http.HttpRequestError}",
        _ => e.GetType().Name + ": " + e.Message,
    });

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return delay is { } d ? (d < TimeSpan.Zero ? TimeSpan.Zero : d > MaxRetryAfter ? MaxRetryAfter : d) : null;
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            return text.Length > 300 ? text[..300] : text;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return "";
        }
    }
}

/// <summary>Sends one notification through one kind of channel.</summary>
public interface INotificationSender
{
    string Type { get; }

    Task<SendResult> SendAsync(ChannelTarget channel, NotificationSubject subject, Guid deliveryId, CancellationToken ct);
}

/// <summary>Severity colours and wording shared by the senders.</summary>
public static class SeverityStyle
{
    public static string Color(string severity) => severity switch
    {
        "critical" => "#D32F2F",
        "high" => "#F57C00",
        "medium" => "#FBC02D",
        "low" => "#1976D2",
        _ => "#757575",
    };

    public static string Label(string severity) => severity.Length == 0 ? "" : char.ToUpperInvariant(severity[0]) + severity[1..];
}
