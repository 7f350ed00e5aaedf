namespace Vigil.Core.Contracts.Api;

/// <summary>
/// What the Api's live hub pushes to the signed-in people of one organization when one of its signals is
/// opened or raised; the page then asks the Api for its own view (query, facets) again.
/// </summary>
public sealed record LiveSignalUpdate(Guid SignalId, string Change, string? Title, string Severity, string? Hostname, DateTimeOffset At)
{
    public const string Created = "created";
    public const string SeverityRaised = "severity_raised";
}

/// <summary>The SignalR hub of live signals: where it is and the method it calls on clients.</summary>
public static class LiveSignalsHub
{
    public const string Path = "api/v2/live/signals";
    public const string SignalChangedMethod = "SignalChanged";
}
