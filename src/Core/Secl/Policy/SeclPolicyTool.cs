using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Secl.Policy;

/// <summary>
/// Entry points for tools such as <c>vigil-agent policy check</c> and <c>policy eval</c>: load policy
/// files and report per rule; evaluate an agent-event JSON and explain every match.
/// </summary>
public static class SeclPolicyTool
{
    /// <summary>Loads <c>*.policy</c> files (a directory or files) as the <c>file</c> provider would.</summary>
    public static SeclLoadResult Check(IEnumerable<string> paths, SeclAgentOptions? options = null)
    {
        var files = paths.SelectMany<string, string>(path => Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.policy").Order(StringComparer.Ordinal)
            : [path]);
        var sources = files.Select(file => new SeclPolicySource(Path.GetFileName(file), SeclPolicySources.File, File.ReadAllText(file)));
        return new SeclPolicyLoader(options ?? new SeclAgentOptions()).LoadAll(sources);
    }

    /// <summary>Evaluates one agent event (Datadog JSON shape) and explains each rule that matched, in rule order.</summary>
    public static IReadOnlyList<SeclMatchExplanation> Evaluate(SeclLoadResult loaded, string eventJson)
    {
        var evt = SeclEventJson.Read(eventJson);
        var matches = new List<SeclRuleMatch>();
        loaded.RuleSet.Evaluate(evt, matches);
        return [.. matches.Select(m => loaded.RuleSet.Explain(m.Rule, evt))];
    }
}
