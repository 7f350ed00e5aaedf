namespace Vigil.Core.Detection;

/// <summary>How a detection rule turns matching agent events into signals.</summary>
public enum DetectionMethod
{
    /// <summary>Counts (or distinct values) per group within a window, cases evaluated in order.</summary>
    Threshold,
    /// <summary>A value of a field never seen before for the group, after a learning period.</summary>
    NewValue,
    /// <summary>Steps matched in order on the same group within a window.</summary>
    Sequence,
}

/// <summary>
/// A detection rule as users write it (API JSON, snake_case) and as out-of-the-box content ships it.
/// Modeled on Datadog's security monitoring rules: named queries, group-by, cases with severities, options.
/// </summary>
public sealed record DetectionRuleDefinition
{
    /// <summary>The signal title; <c>{{field}}</c> placeholders (<c>{{host}}</c>, <c>{{@agent.rule_id}}</c>) take the first event's values.</summary>
    public string Name { get; init; } = "";

    public DetectionMethod Method { get; init; } = DetectionMethod.Threshold;

    /// <summary>Named queries over agent events (<c>a</c>, <c>b</c>, …), in the shared search syntax.</summary>
    public IReadOnlyList<RuleQuery> Queries { get; init; } = [];

    /// <summary>Fields whose values identify a group (<c>host</c>, <c>@process.executable.path</c>).</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    /// <summary>Threshold cases, evaluated in order; the first that holds decides the severity.</summary>
    public IReadOnlyList<RuleCase> Cases { get; init; } = [];

    public RuleOptions Options { get; init; } = new();

    /// <summary>Markdown message with remediation steps; may name notification handles (<c>@slack-secops</c>).</summary>
    public string Message { get; init; } = "";

    /// <summary>Tags such as <c>tactic:TA0002-execution</c>, <c>technique:T1059</c>, <c>source:runtime-security</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>A named query; <c>Aggregation</c> is count or cardinality (distinct values of <c>DistinctField</c>).</summary>
public sealed record RuleQuery(string Name, string Query, string Aggregation = "count", string? DistinctField = null);

/// <summary>A threshold case: a condition over query counts (<c>a &gt; 5 &amp;&amp; b &gt; 0</c>) and its severity.</summary>
public sealed record RuleCase(string Condition, string Status, string? Name = null);

public sealed record RuleOptions
{
    /// <summary>Threshold: the window events are counted in. Sequence: default window for the steps.</summary>
    public int EvaluationWindowSeconds { get; init; } = 300;

    /// <summary>A new match within this time of the signal's last event updates it instead of opening another.</summary>
    public int KeepAliveSeconds { get; init; } = 3600;

    /// <summary>A signal older than this is closed to updates; the next match opens a new one.</summary>
    public int MaxSignalDurationSeconds { get; init; } = 86400;

    /// <summary>Lower the severity one level for events whose env is not production.</summary>
    public bool DecreaseCriticalityBasedOnEnv { get; init; }

    public NewValueOptions? NewValue { get; init; }

    public SequenceOptions? Sequence { get; init; }
}

/// <summary>New value: the field watched; values seen while learning (from the rule's creation) never alert.</summary>
public sealed record NewValueOptions(string Field, int LearningDurationSeconds = 86400, int ForgetAfterSeconds = 28 * 86400, string Status = "medium");

/// <summary>Sequence: query names in the order they must match, all within the window.</summary>
public sealed record SequenceOptions(IReadOnlyList<string> Steps, int WindowSeconds = 600, string Status = "high");
