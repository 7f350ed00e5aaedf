namespace Vigil.Core.Secl.Policy;

/// <summary>Outcome of loading one rule; the error classes are Datadog's (§2.7).</summary>
public enum SeclRuleStatus
{
    /// <summary>Compiled and active.</summary>
    Loaded,
    /// <summary><c>disabled: true</c> (not an error).</summary>
    Disabled,
    /// <summary><c>agent_version_error</c>: the agent's declared version is outside the rule's range.</summary>
    AgentVersionError,
    /// <summary><c>agent_filter_error</c>: no filter matched this host (a Windows rule on Linux).</summary>
    AgentFilterError,
    /// <summary><c>event_type_disabled</c>: the rule's event type is turned off in the agent.</summary>
    EventTypeDisabled,
    /// <summary><c>syntax_error</c>: parse error, unknown field, type error.</summary>
    SyntaxError,
    /// <summary><c>error</c>: anything else (bad actions, duplicate ids, invalid definition).</summary>
    Error,
}

public static class SeclRuleStatusExtensions
{
    /// <summary>Datadog's name for the status (as in ruleset_loaded events).</summary>
    public static string ToDatadogName(this SeclRuleStatus status) => status switch
    {
        SeclRuleStatus.Loaded => "loaded",
        SeclRuleStatus.Disabled => "disabled",
        SeclRuleStatus.AgentVersionError => "agent_version_error",
        SeclRuleStatus.AgentFilterError => "agent_filter_error",
        SeclRuleStatus.EventTypeDisabled => "event_type_disabled",
        SeclRuleStatus.SyntaxError => "syntax_error",
        _ => "error",
    };
}
