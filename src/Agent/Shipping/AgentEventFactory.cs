using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Vigil.Core.Events;

namespace Vigil.Agent.Shipping;

/// <summary>Builds the agent's own events in the Datadog agent-event JSON shape.</summary>
public static class AgentEventFactory
{
    public static JsonObject Heartbeat(DateTimeOffset now) => new()
    {
        ["agent"] = new JsonObject
        {
            ["rule_id"] = InternalRuleIds.Heartbeat,
            ["version"] = AgentSettings.Version,
            ["os"] = OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription,
            ["arch"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            ["kernel_version"] = Environment.OSVersion.Version.ToString(),
        },
        ["title"] = "Agent heartbeat",
        ["date"] = now.ToString("O"),
        ["evt"] = new JsonObject { ["name"] = InternalRuleIds.Heartbeat, ["category"] = "agent" },
    };
}
