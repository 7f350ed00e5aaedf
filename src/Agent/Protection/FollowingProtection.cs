using System.Text.Json.Nodes;
using Vigil.Agent.Probes;
using Vigil.Agent.Process;
using Vigil.Agent.Rules;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Agent.Protection;

/// <summary>
/// Active Protection that follows the rule host: when remote configuration swaps in a policy whose kill or block
/// rules differ, the engine is re-planned (and its kernel parts restarted) before the next action, so a rule an
/// organization turns to Blocking is enforced without restarting the agent.
/// </summary>
/// <remarks>
/// An engine started after the probes attaches its exec program after theirs; a process it holds at exec is
/// then still released by the hold timeout if the verdict raced ahead of the hold.
/// </remarks>
public sealed class FollowingProtection : IRuleActionHandler, IDisposable
{
    private readonly RuleHost _rules;
    private readonly Action<JsonObject> _sink;
    private readonly Action<string> _log;
    private readonly ProtectionOptions? _options;
    private SeclRuleSet? _plannedFor;
    private ProtectionEngine? _engine;

    public FollowingProtection(RuleHost rules, Action<JsonObject> sink, Action<string> log, ProtectionOptions? options = null)
    {
        (_rules, _sink, _log, _options) = (rules, sink, log, options);
        Refresh();
    }

    /// <summary>The running engine, or null while no rule carries a kill or block action.</summary>
    public ProtectionEngine? Engine => _engine;

    public JsonArray? Perform(SeclRule rule, SeclEvent secl, KernelEvent evt, ProcessEntry subject)
    {
        Refresh();
        return _engine?.Perform(rule, secl, evt, subject);
    }

    public void Evaluated(KernelEvent evt)
    {
        _engine?.Evaluated(evt);
        Refresh(); // a swapped policy is planned at the next event of any kind, not only at its first match
    }

    public IReadOnlyList<string> StatusLines() => _engine?.StatusLines() ?? [];

    /// <summary>
    /// Re-plans when the rule set was replaced (a reference check otherwise): the engine's plan holds the rule
    /// objects of one set, so a new set needs a new plan even when its protection rules read the same.
    /// </summary>
    public void Refresh()
    {
        var current = _rules.RuleSet;
        if (ReferenceEquals(current, _plannedFor)) return;
        _plannedFor = current;
        if (_engine is null && !current.Rules.Any(r => r.OtherActions.Any(a => a.Kind is "kill" or "block"))) return;
        _engine?.Dispose();
        _engine = ProtectionStartup.Start(_rules, _sink, _log, _options);
        if (_engine is not null) _log($"protection: planned for {current.Rules.Count} rules");
    }

    public void Dispose() => _engine?.Dispose();
}
