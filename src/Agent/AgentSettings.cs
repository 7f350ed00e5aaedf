namespace Vigil.Agent;

/// <summary>What the agent needs to know to run. Built from the command line and the environment.</summary>
public sealed record AgentSettings(Uri IngestUrl, string ApiKey, string Hostname, TimeSpan HeartbeatInterval)
{
    /// <summary>Read once: every agent event carries it, and <c>Assembly.GetName</c> allocates and parses each time.</summary>
    public static string Version { get; } =
        typeof(AgentSettings).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
