namespace Vigil.Core.Contracts;

/// <summary>Published when a new signal is opened; notifications and live UI updates subscribe to it.</summary>
public sealed record SignalCreated(
    Guid OrganizationId,
    Guid SignalId,
    string RuleId,
    string Title,
    string Severity,
    string Hostname,
    DateTimeOffset FirstSeen);
