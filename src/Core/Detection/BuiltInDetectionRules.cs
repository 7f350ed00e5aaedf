namespace Vigil.Core.Detection;

/// <summary>
/// Rules every organization has without writing any. "Agent rule matched" turns each agent rule that fires
/// on a host into one medium signal per host and agent rule, updated (not repeated) while matches keep
/// coming within the keep-alive — what an agent rule alone means, without one alert per event.
/// </summary>
public static class BuiltInDetectionRules
{
    public static readonly Guid AgentRuleMatchedId = new("0b5e7a00-0000-7000-8000-000000000001");

    public static readonly DetectionRuleDefinition AgentRuleMatched = new()
    {
        Name = "{{@title}}",
        Method = DetectionMethod.Threshold,
        Queries = [new RuleQuery("a", "*")],
        GroupBy = ["host", "@agent.rule_id"],
        Cases = [new RuleCase("a > 0", "medium")],
        Options = new RuleOptions { EvaluationWindowSeconds = 300, KeepAliveSeconds = 3600, MaxSignalDurationSeconds = 86400 },
        Message = "The agent rule `{{@agent.rule_id}}` matched on `{{host}}`. Look at the process tree and the sample event.",
        Tags = ["source:runtime-security-agent"],
    };

    /// <summary>Every built-in rule with its fixed id.</summary>
    public static readonly IReadOnlyList<(Guid Id, DetectionRuleDefinition Definition)> All = [(AgentRuleMatchedId, AgentRuleMatched)];

    /// <summary>The built-in rules, compiled once per process.</summary>
    public static IReadOnlyList<CompiledDetectionRule> Compiled { get; } = Compile();

    private static List<CompiledDetectionRule> Compile() =>
        All.Select(r => DetectionRuleCompiler.Compile(r.Definition, r.Id, 1, DateTime.UnixEpoch) switch
        {
            ({ } rule, _) => rule,
            (_, var errors) => throw new InvalidOperationException($"Built-in rule {r.Id} is invalid: {string.Join("; ", errors.Keys)}"),
        }).ToList();
}
