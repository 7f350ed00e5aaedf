namespace Vigil.Data.Entities;

/// <summary>
/// A response a person asked an agent to carry out from a signal (for now: kill one process), and what the
/// agent reported back. The agent picks pending actions for its host up over its API key.
/// </summary>
public sealed class ResponseAction : IOrgOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid SignalId { get; set; }
    /// <summary>The host whose agent must act (the signal's host).</summary>
    public required string Hostname { get; set; }
    /// <summary>What to do: <c>kill_process</c>.</summary>
    public required string Kind { get; set; }
    public int ProcessId { get; set; }
    /// <summary>The executable the process had in the signal's events: the agent refuses if the pid now runs another.</summary>
    public string? ExecutablePath { get; set; }
    /// <summary>The Unix signal number to send (9 = SIGKILL).</summary>
    public int UnixSignal { get; set; } = 9;
    public Guid? RequestedByUserId { get; set; }
    public required string RequestedByName { get; set; }
    public DateTime RequestedAt { get; set; } = DateTime.UtcNow;
    /// <summary>pending → delivered → performed / refused / failed; expired when no agent took it in time.</summary>
    public required string State { get; set; }
    /// <summary>The agent's explanation (why refused or failed), bounded.</summary>
    public string? Detail { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    /// <summary>Milliseconds the agent took from receiving the action to its outcome.</summary>
    public double? AgentLatencyMs { get; set; }
}
