using Vigil.Core.Contracts.Api;

namespace Vigil.Agent.Response;

/// <summary>Carries out a response action on this host, with the agent's safeguards; never throws for a refused or failed action.</summary>
public interface IResponseExecutor
{
    /// <summary>The outcome (performed, refused, failed) and why, for the Api.</summary>
    (string Outcome, string? Detail) Execute(AgentResponseActionDto action);
}
