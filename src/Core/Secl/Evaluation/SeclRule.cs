using Vigil.Core.Secl.Binding;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>A loaded, compiled rule as the evaluator runs it.</summary>
public sealed record SeclRule(
    string Id,
    string Version,
    string Expression,
    string EventType,
    SeclCompiledExpression Compiled,
    string PolicyName,
    IReadOnlyList<SeclSetAction> SetActions)
{
    /// <summary>Position in the loaded rule list; matches are reported in this order.</summary>
    public int Index { get; internal set; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> ProductTags { get; init; } = [];

    public string Description { get; init; } = "";

    public bool Silent { get; init; }

    /// <summary>Other actions (kill, hash, log ...) kept as validated data for the agent to perform.</summary>
    public IReadOnlyList<SeclActionInfo> OtherActions { get; init; } = [];

    public TimeSpan? Every { get; init; }

    /// <summary>Fields whose values key the rate limiter (<c>limiter_token</c>).</summary>
    public IReadOnlyList<string> LimiterTokens { get; init; } = [];
}

/// <summary>A validated non-<c>set</c> action (the agent performs it; the language only checks it).</summary>
public sealed record SeclActionInfo(string Kind, IReadOnlyDictionary<string, string> Parameters);

/// <summary>A <c>set</c> action: writes a variable when the rule matches.</summary>
public sealed record SeclSetAction(
    string VariableName,
    SeclVariableScope Scope,
    object? Value,
    Binding.SeclVariableType Type,
    string? FieldName,
    bool Append,
    int Size,
    long TtlNanoseconds)
{
    /// <summary>Set when the action computes its value with an <c>expression</c>.</summary>
    public SeclValueExpression? Expression { get; init; }

    /// <summary>Process scope: descendants of the process see the value too.</summary>
    public bool Inherited { get; init; }

    /// <summary>Process scope: the pid field that keys the variable instead of <c>process.pid</c> (e.g. <c>cgroup_write.pid</c>).</summary>
    public string? ScopeField { get; init; }
}

/// <summary>A rule that matched an event.</summary>
public readonly record struct SeclRuleMatch(SeclRule Rule);

/// <summary>Why a rule matched: the comparisons that were true, with their text and position in the rule.</summary>
public sealed record SeclMatchExplanation(SeclRule Rule, IReadOnlyList<SeclMatchedExpression> MatchingSubExpressions);

public sealed record SeclMatchedExpression(string Expression, int Offset, int Length);
