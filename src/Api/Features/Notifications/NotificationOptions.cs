using System.ComponentModel.DataAnnotations;

namespace Vigil.Api.Features.Notifications;

/// <summary>Settings of the notification router (section <c>Vigil:Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Vigil:Notifications";

    /// <summary>The address people open Vigil at; <c>{{signal.url}}</c> is built on it.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5000/";

    /// <summary>PagerDuty's Events API v2 endpoint (a test points it at a fake).</summary>
    [Required, Url]
    public string PagerDutyEventsUrl { get; set; } = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>First retry delay; each further retry doubles it, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts before a delivery that keeps failing is given up (marked failed).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>How long one send may take (a receiver that hangs is abandoned after this and retried).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Hangfire workers of the notifications queue: sends that hang only hold their own worker.</summary>
    [Range(1, 200)]
    public int Workers { get; set; } = 10;

    /// <summary>A pending delivery older than this without progress is enqueued again by the sweeper.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Also notify the channels named by handles in the rule message when the severity rises.</summary>
    public bool RenotifyHandlesOnSeverityIncrease { get; set; } = true;
}
