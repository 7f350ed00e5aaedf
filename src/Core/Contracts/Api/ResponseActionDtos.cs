namespace Vigil.Core.Contracts.Api;

/// <summary>Ask the signal's host agent to kill one process of the signal (its pid must appear in the signal's events).</summary>
/// <param name="Pid">The process id, as shown in the signal's process tree.</param>
/// <param name="Signal">Unix signal to send: 9 (SIGKILL, the default) or 15 (SIGTERM).</param>
public sealed record KillProcessRequest(int Pid, int? Signal = null);

/// <summary>A response action and its outcome as the agent reported it.</summary>
/// <param name="State">pending, delivered, performed, refused, failed or expired.</param>
public sealed record ResponseActionDto(
    Guid Id, string Kind, string Hostname, int Pid, string? ExecutablePath, int Signal, string State, string? Detail,
    string RequestedBy, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, double? AgentLatencyMs);

/// <summary>What an agent receives: one action to carry out on its host.</summary>
public sealed record AgentResponseActionDto(Guid Id, string Kind, int Pid, string? ExecutablePath, int Signal);

/// <summary>What an agent reports back for an action.</summary>
/// <param name="Outcome">performed, refused (a safeguard said no) or failed.</param>
/// <param name="Detail">Why refused or failed (the safeguard's name, the errno), at most 1,000 characters.</param>
/// <param name="LatencyMs">From receiving the action to the outcome.</param>
public sealed record AgentResponseResultDto(string Outcome, string? Detail, double? LatencyMs);

/// <summary>The states of a response action.</summary>
public static class ResponseActionStates
{
    public const string Pending = "pending", Delivered = "delivered", Performed = "performed", Refused = "refused",
        Failed = "failed", Expired = "expired";

    /// <summary>The outcomes an agent may report.</summary>
    public static readonly IReadOnlySet<string> Outcomes = new HashSet<string>(StringComparer.Ordinal) { Performed, Refused, Failed };

    public const string KillProcess = "kill_process";
}
