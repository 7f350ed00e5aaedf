using System.Text.Json.Serialization;

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
/// <param name="Events">Each agent event's attributes; its JSON (Datadog agent-event shape) either rides in
/// <see cref="AcceptedEvent.Json"/> or, when <paramref name="Body"/> is set, is element i of the body's <c>events</c>.</param>
/// <param name="Tags">The host's tags (<c>env:prod</c>, <c>team:payments</c>) the agent was configured with.</param>
/// <param name="Body">The batch body as the agent posted it (still compressed if it came compressed); messages
/// published before it existed carry each event's JSON instead.</param>
public sealed record EventBatchAccepted(
    Guid OrganizationId,
    string BatchId,
    string Hostname,
    string? AgentVersion,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<AcceptedEvent> Events,
    IReadOnlyList<string>? Tags = null,
    PostedBatchBody? Body = null);

/// <summary>
/// A batch body as posted: a few times smaller than its events once gzip- or zstd-compressed, so the bus carries
/// and stores fewer bytes, and the consumer parses the batch once into one document instead of one per event.
/// </summary>
/// <param name="ContentEncoding"><c>gzip</c>, <c>zstd</c>, or null when the body was posted uncompressed.</param>
/// <param name="Content">The bytes as received (base64 in the JSON envelope).</param>
/// <param name="DecodedLength">The length of the decompressed JSON, checked by the consumer.</param>
public sealed record PostedBatchBody(string? ContentEncoding, ReadOnlyMemory<byte> Content, int DecodedLength);

/// <summary>
/// One validated agent event plus the few attributes Ingest already extracted from it. <see cref="Json"/> is null
/// on the bus when the batch's body travels with the message; the consumer fills it from the decoded body.
/// </summary>
public sealed record AcceptedEvent(
    string RuleId,
    string? EventType,
    DateTimeOffset Timestamp,
    string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RawJson? Json);
