using Vigil.Core.Content;
using Vigil.Core.Secl.Policy;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vigil.Api.Features.RemoteConfig;

/// <summary>
/// Datadog policy YAML at the level of single rules: split catalogue policies into rule and macro mappings,
/// write a custom rule, rename a clone, add the blocking <c>kill</c> action, and join mappings into a policy.
/// Works on YamlDotNet's node model so every key a rule carries (actions, filters, every…) survives as written.
/// </summary>
public static class PolicyYaml
{
    public static (Dictionary<string, CatalogRule> Rules, List<string> Macros) Split(IEnumerable<SeclPolicySource> policies)
    {
        var rules = new Dictionary<string, CatalogRule>(StringComparer.Ordinal);
        var macros = new List<string>();
        foreach (var policy in policies)
        {
            var root = Parse(policy.Content);
            if (root.Children.TryGetValue("macros", out var macroList) && macroList is YamlSequenceNode macroNodes)
                macros.AddRange(macroNodes.OfType<YamlMappingNode>().Select(ToText));
            if (!root.Children.TryGetValue("rules", out var ruleList) || ruleList is not YamlSequenceNode ruleNodes)
                continue;
            foreach (var rule in ruleNodes.OfType<YamlMappingNode>())
            {
                rule.Children.Remove("remediation"); // for people, not agents: kept in content/, not in policies
                var id = Scalar(rule, "id") ?? "";
                var tags = rule.Children.TryGetValue("tags", out var t) && t is YamlMappingNode map ? map : null;
                var capable = tags is not null && tags.Children.TryGetValue("protection", out var p)
                    && p is YamlScalarNode { Value: AgentRuleContent.BlockingCapable };
                rules[id] = new CatalogRule(id, Scalar(rule, "description") ?? "", ToText(rule), capable);
            }
        }
        return (rules, macros);
    }

    /// <summary>A custom rule's mapping: id, description, expression, tags and product tags.</summary>
    public static string CustomRule(string id, string expression, string? description,
        IReadOnlyDictionary<string, string>? tags, IReadOnlyList<string>? productTags)
    {
        var rule = new YamlMappingNode
        {
            { "id", id },
            { "version", "1" },
            { "description", description ?? "" },
            { "expression", new YamlScalarNode(expression) { Style = ScalarStyle.DoubleQuoted } },
        };
        if (tags is { Count: > 0 })
            rule.Add("tags", new YamlMappingNode(tags.Select(kv => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(kv.Key), new YamlScalarNode(kv.Value)))));
        if (productTags is { Count: > 0 })
            rule.Add("product_tags", new YamlSequenceNode(productTags.Select(t => new YamlScalarNode(t))));
        return ToText(rule);
    }

    /// <summary>The same rule under another id (a clone); with a new expression/description when given.</summary>
    public static string Rewrite(string definitionYaml, string? id = null, string? expression = null, string? description = null)
    {
        var rule = Parse(definitionYaml);
        if (id is not null)
            rule.Children[new YamlScalarNode("id")] = new YamlScalarNode(id);
        if (expression is not null)
            rule.Children[new YamlScalarNode("expression")] = new YamlScalarNode(expression) { Style = ScalarStyle.DoubleQuoted };
        if (description is not null)
            rule.Children[new YamlScalarNode("description")] = new YamlScalarNode(description);
        return ToText(rule);
    }

    public static string? Field(string definitionYaml, string key) => Scalar(Parse(definitionYaml), key);

    /// <summary>
    /// One policy file from rule and macro mappings. Blocking rules get Datadog's Active Protection action,
    /// <c>kill: {signal: SIGKILL, scope: process}</c>, appended to their own actions.
    /// </summary>
    public static string Policy(string version, IEnumerable<string> macros, IEnumerable<(string DefinitionYaml, bool Blocking)> rules)
    {
        var root = new YamlMappingNode { { "version", new YamlScalarNode(version) { Style = ScalarStyle.DoubleQuoted } } };
        var macroNodes = macros.Select(m => (YamlNode)Parse(m)).ToList();
        if (macroNodes.Count > 0)
            root.Add("macros", new YamlSequenceNode(macroNodes));
        var ruleNodes = rules.Select(r => (YamlNode)(r.Blocking ? WithKill(Parse(r.DefinitionYaml)) : Parse(r.DefinitionYaml))).ToList();
        if (ruleNodes.Count > 0)
            root.Add("rules", new YamlSequenceNode(ruleNodes));
        return ToText(root);
    }

    private static YamlMappingNode WithKill(YamlMappingNode rule)
    {
        if (!rule.Children.TryGetValue("actions", out var existing) || existing is not YamlSequenceNode actions)
            rule.Children[new YamlScalarNode("actions")] = actions = new YamlSequenceNode();
        actions.Add(new YamlMappingNode { { "kill", new YamlMappingNode { { "signal", "SIGKILL" }, { "scope", "process" } } } });
        return rule;
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode mapping
            ? mapping
            : throw new InvalidOperationException("The YAML is not a mapping.");
    }

    private static string ToText(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlDotNet ends a saved document with an explicit end marker; a policy file does not need it.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }
}
