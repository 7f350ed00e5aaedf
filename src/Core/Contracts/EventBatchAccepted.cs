namespace Vigil.Core.Contracts;

/// <summary>
/// Published by Ingest once a batch of agent events has been authenticated and validated.
/// The namespace is the wire identity on the bus: never move this type.
/// </summary>
/// <param name="OrganizationId">The org whose API key posted the batch.</param>
/// <param name="BatchId">The agent's id for the batch; storage is idempotent on (org, batch id).</param>
/// <param name="Hostname">Host the agent runs on.</param>
/// <param name="AgentVersion">Version string the agent reported.</param>
/// <param name="ReceivedAt">When Ingest accepted the batch.</param>
/// <param name="Events">Each agent event with its original JSON (Datadog agent-event shape), carried raw.</param>
/// <param name="Tags">The host's tags (<c>env:prod</c>, <c>team:payments</c>) the agent was configured with.</param>
public sealed record EventBatchAccepted(
    Guid OrganizationId,
    string BatchId,
    string Hostname,
    string? AgentVersion,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<AcceptedEvent> Events,
    IReadOnlyList<string>? Tags = null);

/// <summary>One validated agent event plus the few attributes Ingest already extracted from it.</summary>
public sealed record AcceptedEvent(
    string RuleId,
    string? EventType,
    DateTimeOffset Timestamp,
    string Title,
    RawJson Json);
