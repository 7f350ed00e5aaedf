using Vigil.Core.Detection;

namespace Vigil.Web.Rules;

/// <summary>The starting point of a new rule in the editor: a small, valid threshold rule to change.</summary>
public static class RuleTemplates
{
    public static readonly DetectionRuleDefinition NewThreshold = new()
    {
        Name = "Shell spawned by a web server on {{host}}",
        Method = DetectionMethod.Threshold,
        Queries = [new RuleQuery("a", "@evt.name:exec @process.executable.name:(bash OR sh OR dash) @process.ancestors.executable.name:(nginx OR apache2 OR httpd)")],
        GroupBy = ["host"],
        Cases = [new RuleCase("a > 0", "high")],
        Options = new RuleOptions { EvaluationWindowSeconds = 300, KeepAliveSeconds = 3600, MaxSignalDurationSeconds = 86400 },
        Message = "A web server started a shell on `{{host}}`. Check the process tree: was it a deployment or an exploited application?",
        Tags = ["tactic:TA0002-execution", "technique:T1059"],
    };
}
