namespace Vigil.Agent;

/// <summary>What the agent needs to know to run. Built from the command line and the environment.</summary>
public sealed record AgentSettings(Uri IngestUrl, string ApiKey, string Hostname, TimeSpan HeartbeatInterval)
{
    public static string Version =>
        typeof(AgentSettings).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
