namespace Vigil.Core.Contracts;

/// <summary>Published when a later match raised an open signal's severity; notifications may escalate on it.</summary>
public sealed record SignalSeverityRaised(Guid OrganizationId, Guid SignalId, string Severity, string PreviousSeverity);
