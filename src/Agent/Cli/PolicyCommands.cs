using Vigil.Core.Secl.Policy;

namespace Vigil.Agent.Cli;

/// <summary>
/// <c>vigil-agent policy check FILE|DIR…</c>: load policies and print each rule's outcome in Datadog's
/// report words (exit 1 when a rule has an error); <c>vigil-agent policy eval --event EVENT.json FILE…</c>:
/// which rules match an agent event, and which parts of each expression were true.
/// </summary>
public static class PolicyCommands
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var sub = args.FirstOrDefault();
        var rest = args.Skip(1).ToList();
        string? eventFile = null;
        var index = rest.IndexOf("--event");
        if (index >= 0)
        {
            if (index + 1 >= rest.Count)
                return Fail(stderr, "--event needs a file (an agent event in Datadog's JSON shape)");
            eventFile = rest[index + 1];
            rest.RemoveRange(index, 2);
        }
        if (sub is not ("check" or "eval") || rest.Count == 0)
            return Fail(stderr, "usage: vigil-agent policy check FILE|DIR… | policy eval --event EVENT.json FILE|DIR…");
        var missing = rest.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p));
        if (missing is not null)
            return Fail(stderr, $"no such policy file or directory: {missing}");

        var loaded = SeclPolicyTool.Check(rest);
        if (sub == "check")
            return PrintReport(loaded, stdout);

        if (eventFile is null)
            return Fail(stderr, "policy eval needs --event EVENT.json");
        if (!File.Exists(eventFile))
            return Fail(stderr, $"no such event file: {eventFile}");
        IReadOnlyList<Vigil.Core.Secl.Evaluation.SeclMatchExplanation> matches;
        try
        {
            matches = SeclPolicyTool.Evaluate(loaded, File.ReadAllText(eventFile));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return Fail(stderr, $"the event is not a valid agent event: {e.Message}");
        }
        if (matches.Count == 0)
            stdout.WriteLine("no rule matched");
        foreach (var match in matches)
        {
            stdout.WriteLine($"rule `{match.Rule.Id}` matched ({match.Rule.PolicyName})");
            foreach (var part in match.MatchingSubExpressions)
                stdout.WriteLine($"  true at {part.Offset}: {part.Expression}");
        }
        return 0;
    }

    private static int PrintReport(SeclLoadResult loaded, TextWriter stdout)
    {
        foreach (var policy in loaded.Policies)
            stdout.WriteLine(policy.Error is null
                ? $"policy `{policy.Name}` ({policy.Source}): {policy.RuleCount} rules, {policy.MacroCount} macros"
                : $"error loading policy `{policy.Name}` from source `{policy.Source}`: {policy.Error}");
        foreach (var rule in loaded.Rules)
            stdout.WriteLine(rule.ToString());
        var errors = loaded.Errors.ToList();
        var byStatus = loaded.Rules.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToDatadogName()}");
        stdout.WriteLine($"summary: {string.Join(", ", byStatus)}; {errors.Count} errors");
        return errors.Count == 0 ? 0 : 1;
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"vigil-agent: {message}");
        return 2;
    }
}
