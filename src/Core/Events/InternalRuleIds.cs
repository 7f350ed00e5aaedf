namespace Vigil.Core.Events;

/// <summary>
/// Rule ids of the agent's own ("custom") events (reference §3.5). They describe the agent, not a
/// threat, so they never raise signals.
/// </summary>
public static class InternalRuleIds
{
    public const string Heartbeat = "heartbeat";
    public const string RulesetLoaded = "ruleset_loaded";
    public const string SelfTest = "self_test";
    public const string LostEvents = "lost_events";
    public const string AbnormalPath = "abnormal_path";
    public const string NoProcessContext = "no_process_context";
    public const string BrokenProcessLineage = "broken_process_lineage";

    private static readonly HashSet<string> All =
    [
        Heartbeat, RulesetLoaded, SelfTest, LostEvents, AbnormalPath, NoProcessContext, BrokenProcessLineage,
    ];

    public static bool IsInternal(string ruleId) => All.Contains(ruleId);
}
