using System.Text.RegularExpressions;
using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Evaluation;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Vigil.Core.Secl.Policy;

/// <summary>
/// Loads Datadog policy files: parses YAML, applies <c>agent_version</c> and <c>filters</c>, merges
/// macros and rules across policies with Datadog's precedence, compiles every rule and reports a
/// status per rule. A bad rule never prevents the others from loading.
/// </summary>
public sealed partial class SeclPolicyLoader(SeclAgentOptions options)
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    [GeneratedRegex("^[a-zA-Z0-9_]+$")]
    private static partial Regex IdPattern();

    private sealed class RuleEntry(RuleDefinition definition, string policy)
    {
        public RuleDefinition Definition { get; set; } = definition;
        public string Policy { get; } = policy;
        public SeclRuleReport? Failure { get; set; }
    }

    private sealed class MacroEntry(MacroDefinition definition, string policy)
    {
        public MacroDefinition Definition { get; } = definition;
        public string Policy { get; } = policy;
        public List<string>? Values { get; set; } = definition.Values is null ? null : [.. definition.Values];
        public string? Error { get; set; }
    }

    private readonly List<SeclPolicyReport> _policies = [];
    private readonly List<SeclMacroReport> _macroReports = [];
    private readonly List<SeclRuleReport> _ruleReports = [];
    private readonly Dictionary<string, MacroEntry> _macros = new(StringComparer.Ordinal);
    private readonly List<RuleEntry> _rules = [];
    private readonly List<SeclRule> _expandedRules = [];
    private readonly Dictionary<string, RuleEntry> _rulesById = new(StringComparer.Ordinal);
    private SeclEvent? _hostEvent;

    /// <summary>Loads policies with the default agent options.</summary>
    public static SeclLoadResult Load(params SeclPolicySource[] sources) => new SeclPolicyLoader(new SeclAgentOptions()).LoadAll(sources);

    public SeclLoadResult LoadAll(IEnumerable<SeclPolicySource> sources)
    {
        foreach (var (source, document) in Order(sources))
        {
            if (document is null) continue;
            foreach (var macro in document.Macros ?? []) AddMacro(macro, source.Name);
            foreach (var rule in document.Rules ?? []) AddRule(rule, source.Name);
        }
        var scope = BuildScope();
        var loaded = new List<SeclRule>();
        foreach (var entry in _rules)
        {
            if (entry.Failure is not null) { _ruleReports.Add(entry.Failure); continue; }
            SeclRuleReport report;
            SeclRule? rule;
            try
            {
                report = CompileRule(entry, scope, out rule);
            }
            catch (Exception ex)
            {
                // A defect in the compiler must cost one rule, not the policy.
                report = Report(entry, SeclRuleStatus.Error, $"internal error while compiling the rule: {ex.GetType().Name}: {ex.Message}");
                rule = null;
            }
            _ruleReports.Add(report);
            if (rule is not null) loaded.Add(rule);
            loaded.AddRange(_expandedRules);
            _expandedRules.Clear();
        }
        return new SeclLoadResult(_policies, _macroReports, _ruleReports, new SeclRuleSet(loaded));
    }

    /// <summary>Remote-config policies first; a single <c>default.policy</c> (the first seen) placed first.</summary>
    private List<(SeclPolicySource Source, PolicyDocument? Document)> Order(IEnumerable<SeclPolicySource> sources)
    {
        var ordered = sources.OrderBy(s => s.Source == SeclPolicySources.RemoteConfig ? 0 : 1).ToList();
        var defaultPolicy = ordered.FirstOrDefault(s => s.Name == "default.policy");
        if (defaultPolicy is not null)
        {
            foreach (var duplicate in ordered.Where(s => s.Name == "default.policy" && !ReferenceEquals(s, defaultPolicy)).ToList())
            {
                _policies.Add(new SeclPolicyReport(duplicate.Name, duplicate.Source, null, "ignored: another default.policy takes precedence", 0, 0));
                ordered.Remove(duplicate);
            }
            ordered.Remove(defaultPolicy);
            ordered.Insert(0, defaultPolicy);
        }
        return [.. ordered.Select(s => (s, Parse(s)))];
    }

    private PolicyDocument? Parse(SeclPolicySource source)
    {
        PolicyDocument? document;
        try
        {
            document = Yaml.Deserialize<PolicyDocument>(source.Content);
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or FormatException or ArgumentException)
        {
            var where = ex is YamlException yaml ? $" at {yaml.Start.Line}:{yaml.Start.Column}" : "";
            _policies.Add(new SeclPolicyReport(source.Name, source.Source, null, $"invalid YAML{where}: {ex.InnerException?.Message ?? ex.Message}", 0, 0));
            return null;
        }
        var empty = document is null || ((document.Rules?.Count ?? 0) == 0 && (document.Macros?.Count ?? 0) == 0);
        _policies.Add(new SeclPolicyReport(source.Name, source.Source, document?.Version, empty ? "the policy is empty" : null,
            document?.Rules?.Count ?? 0, document?.Macros?.Count ?? 0));
        return empty ? null : document;
    }

    /// <summary>Checks <c>agent_version</c> then <c>filters</c> (OR-ed); null when the definition applies to this agent.</summary>
    private (SeclRuleStatus Status, string Message)? CheckApplicability(string? agentVersion, List<string>? filters)
    {
        if (!string.IsNullOrWhiteSpace(agentVersion) && !AgentVersionConstraint.Satisfies(agentVersion, options.AgentVersion, out var versionError))
        {
            return versionError is not null
                ? (SeclRuleStatus.Error, versionError)
                : (SeclRuleStatus.AgentVersionError, $"rule not compatible with agent version {options.AgentVersion}: requires `{agentVersion}`");
        }
        if (filters is null || filters.Count == 0) return null;
        _hostEvent ??= options.Host.ToFilterEvent();
        foreach (var filter in filters)
        {
            var compiled = SeclBinder.Compile(filter, null, SeclHostInfo.FilterCatalog, requireEventType: false);
            if (!compiled.Success) return (SeclRuleStatus.Error, $"invalid filter `{filter}`: {compiled.Diagnostics[0]}");
            if (compiled.Evaluate(_hostEvent)) return null;
        }
        return (SeclRuleStatus.AgentFilterError, $"none of the filters matched this host: {string.Join(" || ", filters)}");
    }

    private void AddMacro(MacroDefinition macro, string policy)
    {
        var id = macro.Id ?? "";
        if (!IdPattern().IsMatch(id))
        {
            _macroReports.Add(new SeclMacroReport(id, policy, SeclRuleStatus.Error, "invalid macro ID"));
            return;
        }
        if (CheckApplicability(macro.AgentVersion, macro.Filters) is { } skip)
        {
            _macroReports.Add(new SeclMacroReport(id, policy, skip.Status, skip.Message));
            return;
        }
        if ((macro.Expression is null) == (macro.Values is null))
        {
            _macroReports.Add(new SeclMacroReport(id, policy, SeclRuleStatus.Error, "a macro needs exactly one of `expression` or `values`"));
            return;
        }
        if (_macros.TryGetValue(id, out var existing))
        {
            switch (macro.Combine)
            {
                case "merge" when existing.Values is not null && macro.Values is not null:
                    existing.Values.AddRange(macro.Values);
                    break;
                case "merge":
                    _macroReports.Add(new SeclMacroReport(id, policy, SeclRuleStatus.Error, "macros with an expression cannot be merged"));
                    break;
                case "override":
                    _macros[id] = new MacroEntry(macro, policy);
                    break;
                default:
                    _macroReports.Add(new SeclMacroReport(id, policy, SeclRuleStatus.Error, "definition ID conflict"));
                    break;
            }
            return;
        }
        _macros[id] = new MacroEntry(macro, policy);
    }

    private void AddRule(RuleDefinition rule, string policy)
    {
        var id = rule.Id ?? "";
        var entry = new RuleEntry(rule, policy);
        if (!IdPattern().IsMatch(id))
        {
            entry.Failure = Report(entry, SeclRuleStatus.Error, "invalid rule ID (only letters, digits and _ are allowed)");
            _rules.Add(entry);
            return;
        }
        if (CheckApplicability(rule.AgentVersion, rule.Filters) is { } skip)
        {
            entry.Failure = Report(entry, skip.Status, skip.Message);
            _rules.Add(entry);
            return;
        }
        if (_rulesById.TryGetValue(id, out var existing))
        {
            if (rule.Combine == "override") { Override(existing, rule); return; }
            if ((rule.Disabled ?? false) == (existing.Definition.Disabled ?? false))
            {
                entry.Failure = Report(entry, SeclRuleStatus.Error, "definition ID conflict");
                _rules.Add(entry);
                return;
            }
            // Only the enabled state differs: this is how a custom policy turns a default rule off (or on).
            existing.Definition = Copy(existing.Definition, d => d.Disabled = rule.Disabled);
            return;
        }
        if (rule.Combine is not null && rule.Combine != "override")
        {
            entry.Failure = Report(entry, SeclRuleStatus.Error, $"invalid combine value `{rule.Combine}` (only `override` is allowed for rules)");
            _rules.Add(entry);
            return;
        }
        _rulesById[id] = entry;
        _rules.Add(entry);
    }

    private static void Override(RuleEntry existing, RuleDefinition rule)
    {
        var fields = rule.OverrideOptions?.Fields ?? ["expression"];
        var all = fields.Contains("all");
        existing.Definition = Copy(existing.Definition, d =>
        {
            if (all || fields.Contains("expression")) d.Expression = rule.Expression ?? d.Expression;
            if (all || fields.Contains("actions")) d.Actions = rule.Actions;
            if (all || fields.Contains("every")) d.Every = rule.Every;
            if (all || fields.Contains("tags")) d.Tags = rule.Tags;
            if (all || fields.Contains("product_tags")) d.ProductTags = rule.ProductTags;
            if (rule.Disabled is not null) d.Disabled = rule.Disabled;
        });
    }

    private static RuleDefinition Copy(RuleDefinition source, Action<RuleDefinition> change)
    {
        var copy = new RuleDefinition
        {
            Id = source.Id, Version = source.Version, Expression = source.Expression, Description = source.Description, Tags = source.Tags,
            ProductTags = source.ProductTags, Disabled = source.Disabled, Filters = source.Filters, AgentVersion = source.AgentVersion,
            Combine = source.Combine, OverrideOptions = source.OverrideOptions, Actions = source.Actions, Every = source.Every,
            LimiterToken = source.LimiterToken, Silent = source.Silent, GroupId = source.GroupId, Priority = source.Priority,
        };
        change(copy);
        return copy;
    }

    private static SeclRuleReport Report(RuleEntry entry, SeclRuleStatus status, string? message, string? eventType = null) =>
        new(entry.Definition.Id ?? "", entry.Definition.Version, entry.Policy, entry.Definition.Expression ?? "", status, message, eventType);

    private SeclBindingScope BuildScope()
    {
        var scope = new SeclBindingScope();
        foreach (var (id, macro) in _macros)
        {
            scope.Macros[id] = macro.Values is not null ? SeclMacro.FromValues(id, macro.Values) : SeclMacro.FromExpression(id, macro.Definition.Expression!);
            var status = scope.Macros[id].Parsed.Success ? SeclRuleStatus.Loaded : SeclRuleStatus.SyntaxError;
            _macroReports.Add(new SeclMacroReport(id, macro.Policy, status, status == SeclRuleStatus.Loaded ? null : scope.Macros[id].Parsed.Diagnostics[0].ToString()));
        }
        foreach (var entry in _rules.Where(r => r.Failure is null))
        {
            foreach (var set in entry.Definition.Actions?.Select(a => a.Set).OfType<SetAction>() ?? [])
            {
                if (set.Name is null || SeclActionCompiler.InferType(set) is not { } type) continue;
                scope.Variables.TryAdd(SeclActionCompiler.QualifiedName(set), type);
            }
        }
        return scope;
    }

    private SeclRuleReport CompileRule(RuleEntry entry, SeclBindingScope scope, out SeclRule? rule)
    {
        rule = null;
        var definition = entry.Definition;
        if (string.IsNullOrWhiteSpace(definition.Expression)) return Report(entry, SeclRuleStatus.Error, "no expression defined");
        var expansions = FimExpansion.Expand(definition.Expression);
        if (expansions.Count > 0) return CompileExpansions(entry, scope, expansions, out rule);
        var compiled = SeclBinder.Compile(definition.Expression, scope);
        if (!compiled.Success)
        {
            var first = compiled.Diagnostics[0];
            return Report(entry, SeclRuleStatus.SyntaxError, first.ToString(), compiled.EventType) with { Diagnostics = compiled.Diagnostics };
        }
        var eventType = compiled.EventType!;
        if (options.DisabledEventTypes.Contains(eventType))
            return Report(entry, SeclRuleStatus.EventTypeDisabled, $"event type `{eventType}` is disabled", eventType);
        if (!SeclActionCompiler.TryCompile(definition, eventType, options, scope, out var setActions, out var otherActions, out var every, out var actionError))
            return Report(entry, SeclRuleStatus.Error, actionError, eventType);
        if (definition.Disabled == true) return Report(entry, SeclRuleStatus.Disabled, null, eventType);

        rule = NewRule(definition, entry.Policy, eventType, compiled, setActions, otherActions, every, definition.Expression);
        return Report(entry, SeclRuleStatus.Loaded, null, eventType);
    }

    private static SeclRule NewRule(RuleDefinition definition, string policy, string eventType, SeclCompiledExpression compiled,
        List<SeclSetAction> setActions, List<SeclActionInfo> otherActions, TimeSpan? every, string expression) =>
        new(definition.Id!, definition.Version ?? "", expression, eventType, compiled, policy, setActions)
        {
            Tags = definition.Tags ?? [],
            ProductTags = definition.ProductTags ?? [],
            Description = definition.Description ?? "",
            Silent = definition.Silent ?? false,
            OtherActions = otherActions,
            Every = every,
            LimiterTokens = definition.LimiterToken ?? [],
        };

    /// <summary>A <c>fim.write.file.*</c> rule: every expansion must compile; the rule is loaded once per event type.</summary>
    private SeclRuleReport CompileExpansions(RuleEntry entry, SeclBindingScope scope, IReadOnlyList<(string EventType, string Expression)> expansions, out SeclRule? rule)
    {
        rule = null;
        var definition = entry.Definition;
        var compiledRules = new List<SeclRule>();
        foreach (var (eventType, expression) in expansions)
        {
            var compiled = SeclBinder.Compile(expression, scope);
            if (!compiled.Success)
            {
                var message = compiled.Diagnostics.Any(d => d.Message.Contains("not available for event type", StringComparison.Ordinal))
                    ? "multiple event categories in the same rule expansion"
                    : compiled.Diagnostics[0].ToString();
                return Report(entry, SeclRuleStatus.SyntaxError, message);
            }
            if (!SeclActionCompiler.TryCompile(definition, eventType, options, scope, out var sets, out var others, out var every, out var actionError))
                return Report(entry, SeclRuleStatus.Error, actionError, eventType);
            if (options.DisabledEventTypes.Contains(eventType)) continue;
            compiledRules.Add(NewRule(definition, entry.Policy, eventType, compiled, sets, others, every, expression));
        }
        var eventTypes = string.Join(",", expansions.Select(e => e.EventType));
        if (definition.Disabled == true) return Report(entry, SeclRuleStatus.Disabled, null, eventTypes);
        _expandedRules.AddRange(compiledRules.Skip(1));
        rule = compiledRules.FirstOrDefault();
        return Report(entry, rule is null ? SeclRuleStatus.EventTypeDisabled : SeclRuleStatus.Loaded, null, eventTypes);
    }
}
