namespace Vigil.Api.Features.Notifications;

/// <summary>What a delivery announces, and the states a delivery goes through.</summary>
public static class NotificationKinds
{
    public const string Trigger = "trigger";
    public const string Resolve = "resolve";
    public const string Test = "test";
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Retrying = "retrying";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>The HTTP client of outgoing notifications: no redirects (only the configured URL is ever called).</summary>
public static class NotificationHttp
{
    public const string ClientName = "vigil-notifications";
}
