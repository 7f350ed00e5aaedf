using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Core.RemoteConfig;
using Vigil.Core.Secl.Policy;
using Vigil.Core.Secl.Syntax;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.RemoteConfig;

/// <summary>What publishing produced: the new revision, or the errors that stopped it (nothing was published).</summary>
public sealed record PublishResult(PolicyRevision? Revision, IReadOnlyList<string> Errors);

/// <summary>
/// Builds the organization's effective policy from its stored agent rules (out-of-the-box minus disabled, plus
/// custom, blocking ones with a kill action, grouped by host-tag scope), compiles it with the agents' SECL
/// engine, and only when every rule loads signs it and stores it as the next version. Callers run it in the
/// transaction of the change, so a change that would break the policy is rolled back with it.
/// </summary>
public sealed class PolicyPublisher(VigilDbContext db, OutOfTheBoxContent content, PolicySigningKeys keys, TimeProvider clock)
{
    public const string MacrosPolicy = "vigil-macros.policy";
    public const string RulesPolicy = "vigil-rules.policy";

    public async Task<PublishResult> PublishAsync(string publishedBy, CancellationToken ct)
    {
        var rules = await db.AgentRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(ct);
        var latest = await db.PolicyRevisions.OrderByDescending(r => r.Version).Select(r => (int?)r.Version).FirstOrDefaultAsync(ct) ?? 0;
        var version = latest + 1;
        var files = Files(rules, version);
        var errors = Validate(files);
        var bundle = new PolicyBundle(PolicyBundle.CurrentFormat, db.Tenant.OrganizationId, version, clock.GetUtcNow(), content.Version, files);
        var payload = bundle.ToBytes();
        if (payload.Length > PolicyBundle.MaxPayloadBytes)
            errors.Add($"the policy would be {payload.Length:N0} bytes, over the {PolicyBundle.MaxPayloadBytes:N0} limit");
        if (errors.Count > 0)
            return new PublishResult(null, errors);

        var key = await keys.GetOrCreateAsync(ct);
        var revision = new PolicyRevision
        {
            Version = version,
            PayloadJson = Encoding.UTF8.GetString(payload),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(payload)),
            Signature = Convert.ToBase64String(keys.Sign(key, payload)),
            SigningKeyId = key.Id,
            RuleCount = rules.Count,
            PublishedBy = publishedBy,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.PolicyRevisions.Add(revision);
        await db.SaveChangesAsync(ct);
        return new PublishResult(revision, []);
    }

    /// <summary>Compiles a candidate rule next to the catalogue macros; the error names the position in the expression.</summary>
    public IReadOnlyList<string> ValidateRule(string definitionYaml) => LoadCandidate(definitionYaml).Errors.ToList();

    /// <summary>
    /// Compiles an expression exactly as saving it in a custom rule would, and returns every error with its span
    /// (the editor marks them while the expression is typed); errors without a position keep the loader's message.
    /// </summary>
    public IReadOnlyList<SeclErrorDto> ValidateExpression(string expression)
    {
        const string candidateId = "vigil_expression_check";
        var loaded = LoadCandidate(PolicyYaml.CustomRule(candidateId, expression, null, null, null));
        if (loaded.Rules.FirstOrDefault(r => r.Id == candidateId)?.Diagnostics is { Count: > 0 } diagnostics)
            return [.. diagnostics.Select(d => new SeclErrorDto(WithoutPosition(d), d.Line, d.Column, d.Span.Start, d.Span.Length))];
        // No spans (an expanded fim.* rule, a policy-level error): the loader's messages, without the made-up rule id.
        return [.. loaded.Errors.Select(e => new SeclErrorDto(e.Replace($"rule `{candidateId}` error: ", "", StringComparison.Ordinal)))];
    }

    // The position travels in its own fields; Datadog's rendering would repeat it inside the message.
    private static string WithoutPosition(SeclDiagnostic d) =>
        (d.Kind == SeclDiagnosticKind.Syntax ? "syntax error: " : "rule compilation error: ") + d.Message;

    private SeclLoadResult LoadCandidate(string definitionYaml) => Load(
    [
        new PolicyBundleFile(MacrosPolicy, [], PolicyYaml.Policy("1", content.Macros, [])),
        new PolicyBundleFile(RulesPolicy, [], PolicyYaml.Policy("1", [], [(definitionYaml, false)])),
    ]);

    private List<PolicyBundleFile> Files(List<AgentRule> rules, int version)
    {
        var files = new List<PolicyBundleFile>();
        if (content.Macros.Count > 0)
            files.Add(new PolicyBundleFile(MacrosPolicy, [], PolicyYaml.Policy(version.ToString(System.Globalization.CultureInfo.InvariantCulture), content.Macros, [])));
        // One file per host-tag scope; out-of-the-box rules and unscoped custom rules share the unscoped file.
        foreach (var scope in rules.GroupBy(r => HostTags(r.HostTagsJson) is { Count: > 0 } tags ? string.Join(",", tags) : "")
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var tags = scope.Key.Length == 0 ? [] : scope.Key.Split(',');
            var name = tags.Length == 0 ? RulesPolicy : $"vigil-rules-{string.Join("-", tags).Replace(':', '_')}.policy";
            var ordered = scope.OrderBy(r => r.Source == AgentRule.OutOfTheBox ? 0 : 1).ThenBy(r => r.RuleId, StringComparer.Ordinal);
            files.Add(new PolicyBundleFile(name, tags, PolicyYaml.Policy(version.ToString(System.Globalization.CultureInfo.InvariantCulture), [],
                ordered.Select(r => (r.DefinitionYaml, r.Blocking && r.BlockingCapable)))));
        }
        return files;
    }

    /// <summary>Every file loaded together, as an agent carrying every tag would: any error refuses the whole policy.</summary>
    private static List<string> Validate(IEnumerable<PolicyBundleFile> files) => Load(files).Errors.ToList();

    private static SeclLoadResult Load(IEnumerable<PolicyBundleFile> files) => new SeclPolicyLoader(new SeclAgentOptions())
        .LoadAll(files.Select(f => new SeclPolicySource(f.Name, SeclPolicySources.RemoteConfig, f.Content)));

    public static IReadOnlyList<string> HostTags(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<string>>(json, ApiJson.Options) ?? [];
}
