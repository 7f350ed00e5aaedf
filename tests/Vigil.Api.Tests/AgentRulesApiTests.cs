using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Api.Features.RemoteConfig;
using Vigil.Core.Contracts.Api;
using Vigil.Core.RemoteConfig;
using Vigil.Testing;

namespace Vigil.Api.Tests;

/// <summary>Agent rules through the API: out-of-the-box seeding, disable, clone, protection mode, validation, roles, tenancy.</summary>
[Collection(ApiCollection.Name)]
public sealed class AgentRulesApiTests(ApiFixture api)
{
    private const string Miner = "cryptominer_executed";
    private const string Shell = "web_server_spawned_shell";

    private async Task<(TestOrganization Org, HttpClient Admin)> SeededAsync()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        Assert.True(await ContentUpgradeTask.SeedAsync(api.Host.Services, org.Id, CancellationToken.None));
        return (org, api.Client(await api.LoginAsync(org.AdminEmail, org.Password)));
    }

    private static async Task<string> EffectivePolicyTextAsync(HttpClient http)
    {
        var signed = await http.GetFromJsonAsync<SignedPolicyDto>("api/v2/remote-config/policy/download", ApiJson.Options);
        var bundle = PolicyBundle.Parse(Convert.FromBase64String(signed!.Payload))!;
        return string.Join("\n", bundle.Policies.Select(p => p.Content));
    }

    [Fact]
    public async Task NewOrganization_GetsEveryOutOfTheBoxRule_AndASignedFirstPolicy()
    {
        var (_, admin) = await SeededAsync();
        var content = api.Host.Services.GetRequiredService<OutOfTheBoxContent>();

        var rules = await admin.GetFromJsonAsync<List<AgentRuleDto>>("api/v2/agent-rules", ApiJson.Options);
        var detection = await admin.GetFromJsonAsync<List<DetectionRuleDto>>("api/v2/detection-rules", ApiJson.Options);
        var policy = await admin.GetFromJsonAsync<PolicyRevisionDto>("api/v2/remote-config/policy", ApiJson.Options);
        var key = await admin.GetFromJsonAsync<PolicyPublicKeyDto>("api/v2/remote-config/public-key", ApiJson.Options);
        var signed = await admin.GetFromJsonAsync<SignedPolicyDto>("api/v2/remote-config/policy/download", ApiJson.Options);

        Assert.True(content.Rules.Count >= 80);
        Assert.Equal(content.Rules.Count, rules!.Count(r => r.Source == "ootb" && r.Enabled));
        Assert.Equal("monitoring", rules!.Single(r => r.RuleId == Miner).Protection);
        Assert.Null(rules!.Single(r => r.RuleId == Shell).Protection);
        Assert.Equal(content.Catalog.DetectionRules.Count, detection!.Count(r => r.ContentId is not null && r.Enabled));
        Assert.Equal((1, content.Rules.Count), (policy!.Version, policy.RuleCount));
        Assert.True(PolicySignature.Verify(Convert.FromBase64String(key!.PublicKey), Convert.FromBase64String(signed!.Payload), Convert.FromBase64String(signed.Signature)));
        // The effective policy loads exactly the rules the catalogue's own files load (nothing lost in the rewrite).
        var bundle = PolicyBundle.Parse(Convert.FromBase64String(signed.Payload))!;
        var effective = Vigil.Core.Secl.Policy.SeclPolicyLoader.Load([.. bundle.Policies.Select(p =>
            new Vigil.Core.Secl.Policy.SeclPolicySource(p.Name, Vigil.Core.Secl.Policy.SeclPolicySources.RemoteConfig, p.Content))]);
        var catalogue = content.Catalog.LoadPolicies();
        Assert.Empty(effective.Errors);
        Assert.Equal(Loaded(catalogue), Loaded(effective));
    }

    private static List<string> Loaded(Vigil.Core.Secl.Policy.SeclLoadResult result) =>
        [.. result.Rules.Where(r => r.Status == Vigil.Core.Secl.Policy.SeclRuleStatus.Loaded).Select(r => $"{r.Id}: {r.Expression}").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task DisablingAnOutOfTheBoxRule_PublishesAPolicyWithoutIt_AndEnablingBringsItBack()
    {
        var (org, _) = await SeededAsync();
        using var responder = api.Client(await api.LoginAsync(org.ResponderEmail, org.Password));

        using var disable = await responder.PostAsync($"api/v2/agent-rules/{Shell}/disable", null);
        var disabled = await disable.Content.ReadFromJsonAsync<AgentRuleChangeDto>(ApiJson.Options);
        var without = await EffectivePolicyTextAsync(responder);
        using var enable = await responder.PostAsync($"api/v2/agent-rules/{Shell}/enable", null);
        var with = await EffectivePolicyTextAsync(responder);

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.False(disabled!.Rule.Enabled);
        Assert.Equal(2, disabled.Policy.Version);
        Assert.DoesNotContain($"id: {Shell}", without, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        Assert.Contains($"id: {Shell}", with, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloningAnOutOfTheBoxRule_GivesAnEditableCustomCopy_WhileTheOriginalCannotBeEdited()
    {
        var (_, admin) = await SeededAsync();
        var original = await admin.GetFromJsonAsync<AgentRuleDto>($"api/v2/agent-rules/{Shell}", ApiJson.Options);

        using var clone = await admin.PostAsJsonAsync($"api/v2/agent-rules/{Shell}/clone", new CloneRuleRequest("my_shell"), ApiJson.Options);
        var cloned = await clone.Content.ReadFromJsonAsync<AgentRuleChangeDto>(ApiJson.Options);
        using var editOriginal = await admin.PutAsJsonAsync($"api/v2/agent-rules/{Shell}", new AgentRuleUpdateRequest(Expression: "exec.file.name == \"x\""), ApiJson.Options);
        using var editClone = await admin.PutAsJsonAsync("api/v2/agent-rules/my_shell",
            new AgentRuleUpdateRequest(Expression: original!.Expression + " && process.uid == 0"), ApiJson.Options);
        var edited = await editClone.Content.ReadFromJsonAsync<AgentRuleChangeDto>(ApiJson.Options);
        using var duplicate = await admin.PostAsJsonAsync($"api/v2/agent-rules/{Shell}/clone", new CloneRuleRequest("my_shell"), ApiJson.Options);
        var policy = await EffectivePolicyTextAsync(admin);

        Assert.Equal(HttpStatusCode.Created, clone.StatusCode);
        Assert.Equal(("custom", Shell, original.Expression), (cloned!.Rule.Source, cloned.Rule.ClonedFrom, cloned.Rule.Expression));
        Assert.Equal(HttpStatusCode.Conflict, editOriginal.StatusCode);
        Assert.Equal(HttpStatusCode.OK, editClone.StatusCode);
        Assert.EndsWith("&& process.uid == 0", edited!.Rule.Expression, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("id: my_shell", policy, StringComparison.Ordinal);
        Assert.Contains($"id: {Shell}", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockingMode_CompilesAKillActionIntoTheRule_AndOnlyAdminsMayChangeIt()
    {
        var (org, admin) = await SeededAsync();
        using var responder = api.Client(await api.LoginAsync(org.ResponderEmail, org.Password));

        using var byResponder = await responder.PutAsJsonAsync($"api/v2/agent-rules/{Miner}/protection", new ProtectionModeRequest("blocking"), ApiJson.Options);
        using var notCapable = await admin.PutAsJsonAsync($"api/v2/agent-rules/{Shell}/protection", new ProtectionModeRequest("blocking"), ApiJson.Options);
        using var badMode = await admin.PutAsJsonAsync($"api/v2/agent-rules/{Miner}/protection", new ProtectionModeRequest("kill-everything"), ApiJson.Options);
        var monitoring = await EffectivePolicyTextAsync(admin);
        using var blocking = await admin.PutAsJsonAsync($"api/v2/agent-rules/{Miner}/protection", new ProtectionModeRequest("blocking"), ApiJson.Options);
        var blocked = await blocking.Content.ReadFromJsonAsync<AgentRuleChangeDto>(ApiJson.Options);
        var withKill = await EffectivePolicyTextAsync(admin);
        using var off = await admin.PutAsJsonAsync($"api/v2/agent-rules/{Miner}/protection", new ProtectionModeRequest("disabled"), ApiJson.Options);
        var disabled = await off.Content.ReadFromJsonAsync<AgentRuleChangeDto>(ApiJson.Options);

        Assert.Equal(HttpStatusCode.Forbidden, byResponder.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notCapable.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badMode.StatusCode);
        Assert.DoesNotContain("kill:", RuleText(monitoring, Miner), StringComparison.Ordinal);
        Assert.Equal("blocking", blocked!.Rule.Protection);
        var minerRule = RuleText(withKill, Miner);
        Assert.Contains("kill:", minerRule, StringComparison.Ordinal);
        Assert.Contains("signal: SIGKILL", minerRule, StringComparison.Ordinal);
        Assert.Contains("scope: process", minerRule, StringComparison.Ordinal);
        Assert.Equal(CountOf(monitoring, "kill:") + 1, CountOf(withKill, "kill:")); // only that rule blocks
        Assert.Equal(("disabled", false), (disabled!.Rule.Protection, disabled.Rule.Enabled));
    }

    [Theory]
    [InlineData("bad_syntax", "exec.file.name == ", "expression", "1:")]
    [InlineData("unknown_field", "exec.file.colour == \"red\"", "expression", "colour")]
    [InlineData("bad id!", "exec.file.name == \"x\"", "id", "letters")]
    [InlineData("no_expression", "", "expression", "required")]
    public async Task CreatingAnInvalidRule_Is400NamingTheFieldAndThePosition(string id, string expression, string field, string says)
    {
        var (_, admin) = await SeededAsync();

        using var response = await admin.PostAsJsonAsync("api/v2/agent-rules", new AgentRuleRequest(id, expression), ApiJson.Options);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>(ApiJson.Options);
        var policy = await admin.GetFromJsonAsync<PolicyRevisionDto>("api/v2/remote-config/policy", ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(says, string.Join(" ", problem!.Errors[field]), StringComparison.Ordinal);
        Assert.Equal(1, policy!.Version); // nothing was published
    }

    [Fact]
    public async Task ReadOnlyUsers_SeeRulesButCannotChangeThem()
    {
        var (org, _) = await SeededAsync();
        using var readOnly = api.Client(await api.LoginAsync(org.ReadOnlyEmail, org.Password));

        using var list = await readOnly.GetAsync("api/v2/agent-rules");
        using var create = await readOnly.PostAsJsonAsync("api/v2/agent-rules", new AgentRuleRequest("ro_rule", "exec.file.name == \"x\""), ApiJson.Options);
        using var disable = await readOnly.PostAsync($"api/v2/agent-rules/{Shell}/disable", null);
        using var clone = await readOnly.PostAsJsonAsync($"api/v2/agent-rules/{Shell}/clone", new CloneRuleRequest("ro_clone"), ApiJson.Options);
        using var protect = await readOnly.PutAsJsonAsync($"api/v2/agent-rules/{Miner}/protection", new ProtectionModeRequest("blocking"), ApiJson.Options);
        using var detectionClone = await readOnly.PostAsync($"api/v2/detection-rules/{Guid.NewGuid()}/clone", null);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.All(new[] { create, disable, clone, protect, detectionClone }, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
    }

    [Fact]
    public async Task AnotherOrganization_CannotSeeOrChangeTheRulesOrThePolicy()
    {
        var (_, adminA) = await SeededAsync();
        var (_, adminB) = await SeededAsync();
        using var created = await adminA.PostAsJsonAsync("api/v2/agent-rules", new AgentRuleRequest("only_in_a", "exec.file.name == \"a\""), ApiJson.Options);
        await adminA.PostAsync($"api/v2/agent-rules/{Shell}/disable", null);

        using var get = await adminB.GetAsync("api/v2/agent-rules/only_in_a");
        using var put = await adminB.PutAsJsonAsync("api/v2/agent-rules/only_in_a", new AgentRuleUpdateRequest(Expression: "exec.file.name == \"b\""), ApiJson.Options);
        using var delete = await adminB.DeleteAsync("api/v2/agent-rules/only_in_a");
        var listB = await adminB.GetFromJsonAsync<List<AgentRuleDto>>("api/v2/agent-rules", ApiJson.Options);
        var policyB = await EffectivePolicyTextAsync(adminB);
        var keyA = await adminA.GetFromJsonAsync<PolicyPublicKeyDto>("api/v2/remote-config/public-key", ApiJson.Options);
        var keyB = await adminB.GetFromJsonAsync<PolicyPublicKeyDto>("api/v2/remote-config/public-key", ApiJson.Options);
        var signedB = await adminB.GetFromJsonAsync<SignedPolicyDto>("api/v2/remote-config/policy/download", ApiJson.Options);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.All(new[] { get, put, delete }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.DoesNotContain(listB!, r => r.RuleId == "only_in_a");
        Assert.True(listB!.Single(r => r.RuleId == Shell).Enabled); // A's disable stays in A
        Assert.DoesNotContain("only_in_a", policyB, StringComparison.Ordinal);
        Assert.NotEqual(keyA!.PublicKey, keyB!.PublicKey);
        // B's policy does not verify with A's key: an agent pinned to A never runs B's policy.
        Assert.False(PolicySignature.Verify(Convert.FromBase64String(keyA.PublicKey), Convert.FromBase64String(signedB!.Payload), Convert.FromBase64String(signedB.Signature)));
    }

    [Fact]
    public async Task ContentUpgrade_UpdatesOutOfTheBoxRules_KeepingDisabledFlagsBlockingAndClones()
    {
        var (org, admin) = await SeededAsync();
        await admin.PostAsync($"api/v2/agent-rules/{Shell}/disable", null);
        await admin.PutAsJsonAsync($"api/v2/agent-rules/{Miner}/protection", new ProtectionModeRequest("blocking"), ApiJson.Options);
        await admin.PostAsJsonAsync($"api/v2/agent-rules/{Shell}/clone", new CloneRuleRequest("kept_clone"), ApiJson.Options);
        var content = api.Host.Services.GetRequiredService<OutOfTheBoxContent>();
        var dropped = content.Rules.Keys.Order(StringComparer.Ordinal).First(k => k is not Shell and not Miner);
        // Pretend the org was seeded from an older release: another definition, one rule the old release lacked.
        await using (var scope = api.Host.CreateScope(org.Id, out var db))
        {
            (await db.Organizations.SingleAsync()).ContentVersion = "0.0.1";
            var shell = await db.AgentRules.SingleAsync(r => r.RuleId == Shell);
            shell.DefinitionYaml = shell.DefinitionYaml.Replace("expression:", "# old release\nexpression:", StringComparison.Ordinal);
            db.AgentRules.Remove(await db.AgentRules.SingleAsync(r => r.RuleId == dropped));
            await db.SaveChangesAsync();
        }

        Assert.True(await ContentUpgradeTask.SeedAsync(api.Host.Services, org.Id, CancellationToken.None));
        var rules = (await admin.GetFromJsonAsync<List<AgentRuleDto>>("api/v2/agent-rules", ApiJson.Options))!;
        var upgraded = rules.Single(r => r.RuleId == Shell);
        var policy = await admin.GetFromJsonAsync<PolicyRevisionDto>("api/v2/remote-config/policy", ApiJson.Options);

        Assert.Equal(content.Rules[Shell].DefinitionYaml, upgraded.Definition);
        Assert.False(upgraded.Enabled);
        Assert.Equal("blocking", rules.Single(r => r.RuleId == Miner).Protection);
        Assert.Contains(rules, r => r.RuleId == "kept_clone" && r.ClonedFrom == Shell);
        Assert.Contains(rules, r => r.RuleId == dropped && r.Enabled);
        Assert.All(rules.Where(r => r.Source == "ootb"), r => Assert.Equal(content.Version, r.ContentVersion));
        Assert.Equal(OrganizationContentSeeder.Publisher, policy!.PublishedBy);
        Assert.False(await ContentUpgradeTask.SeedAsync(api.Host.Services, org.Id, CancellationToken.None)); // already current
    }

    [Fact]
    public async Task OutOfTheBoxDetectionRule_CanBeDisabledAndCloned_ButNotEditedOrDeleted()
    {
        var (_, admin) = await SeededAsync();
        var rules = (await admin.GetFromJsonAsync<List<DetectionRuleDto>>("api/v2/detection-rules", ApiJson.Options))!;
        var ootb = rules.First(r => r.ContentId is not null);

        using var disable = await admin.PostAsync($"api/v2/detection-rules/{ootb.Id}/disable", null);
        using var edit = await admin.PutAsJsonAsync($"api/v2/detection-rules/{ootb.Id}",
            new DetectionRuleRequest(ootb.Rule with { Name = "mine now" }), ApiJson.Options);
        using var delete = await admin.DeleteAsync($"api/v2/detection-rules/{ootb.Id}");
        using var clone = await admin.PostAsync($"api/v2/detection-rules/{ootb.Id}/clone", null);
        var cloned = await clone.Content.ReadFromJsonAsync<DetectionRuleDto>(ApiJson.Options);
        using var editClone = await admin.PutAsJsonAsync($"api/v2/detection-rules/{cloned!.Id}",
            new DetectionRuleRequest(cloned.Rule with { Name = "mine now" }), ApiJson.Options);
        var after = await admin.GetFromJsonAsync<DetectionRuleDto>($"api/v2/detection-rules/{ootb.Id}", ApiJson.Options);

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Created, clone.StatusCode);
        Assert.Equal((ootb.ContentId, (string?)null), (cloned.ClonedFrom, cloned.ContentId));
        Assert.Equal(HttpStatusCode.OK, editClone.StatusCode);
        Assert.False(after!.Enabled);
        Assert.Equal(ootb.Id, Vigil.Core.Content.ContentCatalog.StableRuleId(ootb.ContentId!));
        // The stable id is the same in every organization, each with its own row.
        var (_, other) = await SeededAsync();
        Assert.True((await other.GetFromJsonAsync<DetectionRuleDto>($"api/v2/detection-rules/{ootb.Id}", ApiJson.Options))!.Enabled);
    }

    private static string RuleText(string policy, string ruleId)
    {
        var start = policy.IndexOf($"id: {ruleId}", StringComparison.Ordinal);
        var next = policy.IndexOf("\n- id:", start + 1, StringComparison.Ordinal);
        return next < 0 ? policy[start..] : policy[start..next];
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}

/// <summary>The first start in embedded mode (SQLite): the first organization gets the catalogue and a signed policy.</summary>
public sealed class FirstRunContentTests
{
    [Fact]
    public async Task EmbeddedFirstStart_SeedsTheFirstOrganization_WithTheCatalogueAndPolicyVersion1()
    {
        // Jobs off: Hangfire's logging is process-wide, and a second host disposing it breaks the fixture's job server.
        var configuration = TestConfiguration.Embedded(out _).With("Vigil:Bootstrap:Enabled", "true")
            .With("Vigil:Bootstrap:AdminPassword", "first-run-password-1").With("Vigil:Jobs:Enabled", "false");
        await using var server = await VigilTestHost.StartAsync("Vigil.Server", Vigil.Server.ServerHost.Build, configuration);
        using var http = server.CreateClient();
        using var login = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest("admin@vigil.local", "first-run-password-1"), ApiJson.Options);
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await login.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<LoginResponse>(ApiJson.Options))!.Token);
        var content = server.Services.GetRequiredService<OutOfTheBoxContent>();

        var rules = await http.GetFromJsonAsync<List<AgentRuleDto>>("api/v2/agent-rules", ApiJson.Options);
        var policy = await http.GetFromJsonAsync<PolicyRevisionDto>("api/v2/remote-config/policy", ApiJson.Options);

        Assert.Equal(content.Rules.Count, rules!.Count);
        Assert.Equal(1, policy!.Version);
    }
}
