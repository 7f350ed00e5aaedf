using System.Text.Json.Nodes;
using Vigil.Agent.Probes;
using Vigil.Agent.Process;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Agent.Protection;

/// <summary>What the pipeline calls to run rule actions (kill, block) on its consumer thread.</summary>
public interface IRuleActionHandler
{
    /// <summary>Runs the matched rule's actions; returns the <c>agent.rule_actions</c> entries, or null when it has none.</summary>
    JsonArray? Perform(SeclRule rule, SeclEvent secl, KernelEvent evt, ProcessEntry subject);

    /// <summary>Called once per event after every rule was evaluated (held processes nobody killed resume).</summary>
    void Evaluated(KernelEvent evt);
}
