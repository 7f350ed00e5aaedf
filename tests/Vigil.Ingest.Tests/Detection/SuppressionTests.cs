using System.Net;
using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;

namespace Vigil.Ingest.Tests.Detection;

public sealed class SuppressionTests(DetectionFixture fixture) : IClassFixture<DetectionFixture>
{
    private static readonly DetectionRuleDefinition ShellRule = new()
    {
        Name = "Shell on {{host}}",
        Queries = [new RuleQuery("a", "@agent.rule_id:shell_spawned")],
        GroupBy = ["host"],
        Cases = [new RuleCase("a > 0", "high")],
    };

    [Fact]
    public async Task Suppression_HidesMatchingEventsFromItsRule_AndOnlyThose()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, ShellRule);
        using var created = await admin.PostAsJsonAsync("api/v2/suppressions",
            new SuppressionRequest("ansible", "@process.executable.path:/usr/bin/ansible*", "config management runs shells", rule), ApiJson.Options);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-1);

        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("shell_spawned", t0, "/usr/bin/ansible-playbook")]);
        Assert.Empty(await fixture.SignalsAsync(org, rule));
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("shell_spawned", t0, "/usr/bin/python3")]);

        Assert.Single(await fixture.SignalsAsync(org, rule));
    }

    [Fact]
    public async Task Preview_CountsWhatWouldHaveBeenHidden()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = await DetectionFixture.CreateRuleAsync(admin, ShellRule);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-1);
        await fixture.PostAsync(org, "web-1", [
            DetectionFixture.Event("shell_spawned", t0, "/usr/bin/ansible"), DetectionFixture.Event("shell_spawned", t0, "/usr/bin/ansible"),
            DetectionFixture.Event("shell_spawned", t0, "/usr/bin/python3"), DetectionFixture.Event("other_rule", t0, "/usr/bin/ansible")]);

        using var response = await admin.PostAsJsonAsync("api/v2/suppressions/preview",
            new SuppressionPreviewRequest("@process.executable.path:/usr/bin/ansible", rule, 1), ApiJson.Options);
        var preview = await response.Content.ReadFromJsonAsync<SuppressionPreviewDto>(ApiJson.Options);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((2, 1, 4, false), (preview!.EventsHidden, preview.SignalsHidden, preview.EventsScanned, preview.Truncated));
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"query\":\"host:(a OR\",\"reason\":\"r\"}", "query")]
    [InlineData("{\"name\":\"x\",\"query\":\"\",\"reason\":\"r\"}", "query")]
    [InlineData("{\"name\":\"x\",\"query\":\"host:a\",\"reason\":\"\"}", "reason")]
    [InlineData("{\"name\":\"x\",\"query\":\"host:a\",\"reason\":\"r\",\"expires_at\":\"2001-01-01T00:00:00Z\"}", "expires_at")]
    [InlineData("{\"name\":\"x\",\"query\":\"host:a\",\"reason\":\"r\",\"rule_id\":\"7d7c1a3e-2f1e-4a55-9a53-000000000000\"}", "rule_id")]
    public async Task InvalidSuppression_Is400NamingTheField(string body, string field)
    {
        var (_, admin) = await fixture.OrganizationAsync();

        using var response = await admin.PostAsync("api/v2/suppressions", Testing.AgentBatches.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnly_CannotCreateSuppressions()
    {
        var (org, _) = await fixture.OrganizationAsync();
        using var readOnly = fixture.Api.CreateClient();
        readOnly.DefaultRequestHeaders.Authorization = new("Bearer", org.ApplicationKey);

        using var response = await readOnly.PostAsJsonAsync("api/v2/suppressions",
            new SuppressionRequest("x", "host:a", "r"), ApiJson.Options);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
