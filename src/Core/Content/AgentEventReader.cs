using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Content;

/// <summary>
/// Reads an agent event, as Datadog's agent serialises it, for rule evaluation. <see cref="SeclEventJson.Read"/>
/// understands Datadog's own shapes (credentials under <c>process.credentials.destination</c>, flat mount path
/// keys, bit sets written as one string), so this only names the entry point the content tests use.
/// </summary>
public static class AgentEventReader
{
    public static SeclEvent Read(string json) => SeclEventJson.Read(json);
}
