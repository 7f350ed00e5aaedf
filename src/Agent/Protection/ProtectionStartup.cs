using System.Text.Json.Nodes;
using Vigil.Agent.Rules;

namespace Vigil.Agent.Protection;

/// <summary>Starts Active Protection for a loaded rule host when one of its rules carries a kill or block action.</summary>
public static class ProtectionStartup
{
    /// <summary>The started engine (give it to the pipeline as <c>Actions</c>, start the pipeline after it), or null in monitoring-only mode.</summary>
    public static ProtectionEngine? Start(RuleHost rules, Action<JsonObject> sink, Action<string> log, ProtectionOptions? options = null)
    {
        if (!rules.RuleSet.Rules.Any(r => r.OtherActions.Any(a => a.Kind is "kill" or "block"))) return null;
        var engine = new ProtectionEngine(rules.RuleSet.Rules, options, sink, log);
        engine.Start();
        return engine;
    }
}
