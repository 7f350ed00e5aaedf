using System.Globalization;
using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Secl.Policy;

/// <summary>
/// Validates rule actions (§2.4) and turns <c>set</c> actions into what the rule set executes. <c>block</c> is a
/// Vigil extension to Datadog's format: deny an exec before it runs, so its rule may only read the executable.
/// </summary>
internal static class SeclActionCompiler
{
    public const int DefaultListSize = 100;

    public static string QualifiedName(SetAction set) => set.Scope switch
    {
        "process" or "container" or "cgroup" => $"{set.Scope}.{set.Name}",
        _ => set.Name ?? "",
    };

    /// <summary>Variable type from <c>value</c>, <c>field</c> or <c>default_value</c>.</summary>
    public static SeclVariableType? InferType(SetAction set)
    {
        var append = set.Append ?? false;
        if (set.Field is not null)
            return SeclFieldCatalog.Linux.TryGetField(set.Field, out var field) ? new SeclVariableType(field.Type, append || field.IsList) : null;
        var sample = set.Value ?? set.DefaultValue;
        return sample switch
        {
            null => set.Expression is not null ? new SeclVariableType(SeclValueType.Int, append) : null,
            List<object> list => new SeclVariableType(list.Count > 0 && ScalarType(list[0]) == SeclValueType.Int ? SeclValueType.Int : SeclValueType.String, true),
            _ => new SeclVariableType(ScalarType(sample), append),
        };
    }

    private static SeclValueType ScalarType(object value) => value switch
    {
        bool => SeclValueType.Bool,
        long or int => SeclValueType.Int,
        string s when s is "true" or "false" => SeclValueType.Bool,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => SeclValueType.Int,
        _ => SeclValueType.String,
    };

    private static object? Typed(object? value, SeclValueType type) => value switch
    {
        null => null,
        List<object> list => list.Select(v => Typed(v, type)).ToArray(),
        string s when type == SeclValueType.Int => long.Parse(s, CultureInfo.InvariantCulture),
        string s when type == SeclValueType.Bool => s == "true",
        _ => value,
    };

    public static bool TryCompile(RuleDefinition rule, string eventType, SeclAgentOptions options, SeclBindingScope scope,
        out List<SeclSetAction> sets, out List<SeclActionInfo> others, out TimeSpan? every, out string error)
    {
        sets = [];
        others = [];
        every = null;
        error = "";
        if (rule.Every is { } everyText)
        {
            if (everyText == "0") every = TimeSpan.Zero;
            else if (SeclLexer.TryParseDuration(everyText, out var nanoseconds)) every = TimeSpan.FromTicks(nanoseconds / 100);
            else { error = $"invalid `every` duration `{everyText}`"; return false; }
        }
        foreach (var token in rule.LimiterToken ?? [])
        {
            if (!SeclFieldCatalog.Linux.TryGetField(token, out var tokenField) || !tokenField.IsAvailableFor(eventType) || tokenField.Iterator is not null)
            {
                error = $"invalid limiter_token `{token}` for event type `{eventType}`";
                return false;
            }
        }
        foreach (var action in rule.Actions ?? [])
        {
            var kinds = new object?[] { action.Set, action.Kill, action.Block, action.Hash, action.Log, action.Coredump, action.NetworkFilter }.Count(k => k is not null);
            if (kinds != 1) { error = "each action must define exactly one of set, kill, block, hash, log, coredump, network_filter"; return false; }
            if (action.Filter is not null)
            {
                var filter = SeclBinder.Compile(action.Filter);
                if (!filter.Success) { error = $"invalid action filter: {filter.Diagnostics[0]}"; return false; }
            }
            var ok = action switch
            {
                { Set: { } set } => TryCompileSet(set, eventType, scope, sets, out error),
                { Kill: { } kill } => TryValidateKill(kill, options, others, out error),
                { Block: not null } => TryValidateBlock(rule, eventType, options, scope, others, out error),
                { Hash: { } hash } => TryValidateHash(hash, eventType, others, out error),
                { Log: { } log } => TryValidateLog(log, others, out error),
                { Coredump: not null } => Add(others, "coredump", out error),
                _ => options.EnforcementEnabled ? Add(others, "network_filter", out error) : Fail("network_filter requires enforcement", out error),
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool Add(List<SeclActionInfo> others, string kind, out string error, Dictionary<string, string>? parameters = null)
    {
        others.Add(new SeclActionInfo(kind, parameters ?? []));
        error = "";
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }

    private static bool TryCompileSet(SetAction set, string eventType, SeclBindingScope scope, List<SeclSetAction> sets, out string error)
    {
        if (string.IsNullOrEmpty(set.Name)) return Fail("set action: `name` is required", out error);
        var sources = new object?[] { set.Value, set.Field, set.Expression }.Count(s => s is not null);
        if (sources != 1) return Fail($"set action `{set.Name}`: exactly one of `value`, `field` or `expression` is required", out error);
        if (set.Expression is not null && set.DefaultValue is null) return Fail($"set action `{set.Name}`: `default_value` is required with `expression`", out error);
        var variableScope = set.Scope switch
        {
            null or "" => SeclVariableScope.Global,
            "process" => SeclVariableScope.Process,
            "container" => SeclVariableScope.Container,
            "cgroup" => SeclVariableScope.Cgroup,
            _ => (SeclVariableScope?)null,
        };
        if (variableScope is null) return Fail($"set action `{set.Name}`: invalid scope `{set.Scope}`", out error);
        if ((set.Inherited == true || set.ScopeField is not null) && variableScope != SeclVariableScope.Process)
            return Fail($"set action `{set.Name}`: `inherited` and `scope_field` need the process scope", out error);
        if (set.ScopeField is not null && (!SeclFieldCatalog.Linux.TryGetField(set.ScopeField, out var scopeField)
            || scopeField.Type != SeclValueType.Int || !scopeField.IsAvailableFor(eventType) || scopeField.Iterator is not null))
            return Fail($"set action `{set.Name}`: `scope_field` `{set.ScopeField}` is not a pid field of event type `{eventType}`", out error);
        if (set.Field is not null)
        {
            if (!SeclFieldCatalog.Linux.TryGetField(set.Field, out var field)) return Fail($"set action `{set.Name}`: field `{set.Field}` not found", out error);
            if (!field.IsAvailableFor(eventType)) return Fail($"set action `{set.Name}`: field `{set.Field}` not available for event type `{eventType}`", out error);
        }
        var type = InferType(set);
        if (type is null) return Fail($"set action `{set.Name}`: cannot infer the variable type", out error);
        if (set.Value is not null && set.DefaultValue is not null && InferType(new SetAction { Value = set.DefaultValue })?.Type != type.Type)
            return Fail($"set action `{set.Name}`: `value` and `default_value` have different types", out error);
        long ttl = 0;
        if (set.Ttl is { } ttlText && !SeclLexer.TryParseDuration(ttlText, out ttl) && !long.TryParse(ttlText, NumberStyles.Integer, CultureInfo.InvariantCulture, out ttl))
            return Fail($"set action `{set.Name}`: invalid ttl `{ttlText}`", out error);
        SeclValueExpression? expression = null;
        if (set.Expression is not null)
        {
            expression = SeclBinder.CompileValue(set.Expression, scope, out var diagnostics);
            if (expression is null) return Fail($"set action `{set.Name}`: invalid expression: {diagnostics[0]}", out error);
            if (expression.Type != type.Type) return Fail($"set action `{set.Name}`: expression and `default_value` have different types", out error);
        }
        var value = Typed(set.Value ?? (set.Expression is not null ? set.DefaultValue : null), type.Type);
        sets.Add(new SeclSetAction(set.Name, variableScope.Value, value, type, set.Field, set.Append ?? false,
            set.Size ?? ((set.Append ?? false) ? DefaultListSize : 0), ttl)
        {
            Expression = expression,
            Inherited = set.Inherited ?? false,
            ScopeField = set.ScopeField,
        });
        error = "";
        return true;
    }

    private static bool TryValidateKill(KillAction kill, SeclAgentOptions options, List<SeclActionInfo> others, out string error)
    {
        if (!options.EnforcementEnabled) return Fail("kill action: enforcement is disabled on this agent", out error);
        if (kill.Signal is null || !SeclConstants.Groups["Signal constants"].ContainsKey(kill.Signal))
            return Fail($"kill action: unknown signal `{kill.Signal}`", out error);
        if (kill.Scope is not (null or "process" or "container" or "cgroup")) return Fail($"kill action: invalid scope `{kill.Scope}`", out error);
        return Add(others, "kill", out error, new() { ["signal"] = kill.Signal, ["scope"] = kill.Scope ?? "process" });
    }

    /// <summary>
    /// <c>block</c> decides when the binary is opened for exec: the caller still runs its old image, so argv,
    /// environment and the new process are unknown. Only exec rules reading nothing but the executable qualify.
    /// </summary>
    private static bool TryValidateBlock(RuleDefinition rule, string eventType, SeclAgentOptions options, SeclBindingScope scope,
        List<SeclActionInfo> others, out string error)
    {
        if (!options.EnforcementEnabled) return Fail("block action: enforcement is disabled on this agent", out error);
        if (eventType != "exec") return Fail($"block action: only exec rules can block (this rule is `{eventType}`)", out error);
        var compiled = SeclBinder.Compile(rule.Expression ?? "", scope);
        var other = compiled.Fields.Select(f => f.Name).FirstOrDefault(f => !f.StartsWith("exec.file.", StringComparison.Ordinal) && !f.StartsWith("process.file.", StringComparison.Ordinal));
        if (!compiled.Success || other is not null)
            return Fail($"block action: the rule may only read the executable (exec.file.*), not `{other ?? "?"}`; use kill for rules on arguments or the process", out error);
        return Add(others, "block", out error);
    }

    private static bool TryValidateHash(HashAction hash, string eventType, List<SeclActionInfo> others, out string error)
    {
        var field = hash.Field ?? eventType switch { "exec" => "exec.file", "open" => "open.file", _ => null };
        if (field is null) return Fail($"hash action: `field` is required for `{eventType}` rules", out error);
        if (!SeclFieldCatalog.Linux.TryGetField(field + ".path", out var path) || !path.IsAvailableFor(eventType))
            return Fail($"hash action: `{field}` is not a file of event type `{eventType}`", out error);
        return Add(others, "hash", out error, new() { ["field"] = field });
    }

    private static bool TryValidateLog(LogAction log, List<SeclActionInfo> others, out string error)
    {
        if (log.Level is not ("debug" or "info" or "warning" or "error")) return Fail($"log action: invalid level `{log.Level}`", out error);
        return Add(others, "log", out error, new() { ["level"] = log.Level, ["message"] = log.Message ?? "" });
    }
}
