using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;

namespace Vigil.Agent.Rules;

/// <summary>
/// The stored SECL fields the loaded rules can read: their expressions (derived fields through their sources),
/// rate-limiter tokens, set-action fields, and what the variable store keys on. The event builder fills only
/// these process fields: an exec event has about 45 per process, times the parent and each ancestor, and rules read
/// a handful. Anything the plan cannot see through (a set action computed by an expression) means every field.
/// </summary>
public sealed class SeclFieldPlan
{
    private static readonly string[] VariableKeys =
        ["process.pid", "process.ppid", "process.container.id", "process.cgroup.id", "process.ancestors.pid"];

    /// <summary>Always filled: cheap, and what anything acting on a match (actions, explanations) looks up first.</summary>
    private static readonly string[] Identity = ["process.pid", "process.ppid", "process.file.path", "process.container.id"];

    private readonly HashSet<string>? _fields;

    private SeclFieldPlan(HashSet<string>? fields) => _fields = fields;

    /// <summary>Every field (tools, tests, rules the plan cannot analyse).</summary>
    public static SeclFieldPlan All { get; } = new(null);

    public bool Wants(string field) => _fields is null || _fields.Contains(field);

    public static SeclFieldPlan For(IEnumerable<SeclRule> rules)
    {
        var fields = new HashSet<string>(Identity, StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            foreach (var field in rule.Compiled.Fields)
            {
                if (!Add(fields, field)) return All;
            }
            fields.UnionWith(rule.LimiterTokens);
            if (rule.SetActions.Count > 0 || rule.Expression.Contains("${", StringComparison.Ordinal)) fields.UnionWith(VariableKeys);
            foreach (var action in rule.SetActions)
            {
                if (action.Expression is not null) return All;
                if (action.FieldName is not null) fields.Add(action.FieldName);
                if (action.ScopeField is not null) fields.Add(action.ScopeField);
            }
        }
        return new SeclFieldPlan(fields);
    }

    /// <summary>Adds a field and, for derived fields, what they are computed from; false when that is unknown.</summary>
    private static bool Add(HashSet<string> fields, SeclField field)
    {
        for (var f = field; ; f = f.Source!)
        {
            fields.Add(f.Name);
            if (f.Derivation == SeclFieldDerivation.Stored) return true;
            if (f.Source is not null) continue;
            if (f.SourceField is null) return false;
            fields.Add(f.SourceField + ".pid"); // the length of an iterator (process.ancestors.length): its elements must exist
            return true;
        }
    }
}
