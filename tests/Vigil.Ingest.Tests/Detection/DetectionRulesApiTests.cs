using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;
using Vigil.Testing;

namespace Vigil.Ingest.Tests.Detection;

public sealed class DetectionRulesApiTests(DetectionFixture fixture) : IClassFixture<DetectionFixture>
{
    [Theory]
    [InlineData("{\"rule\":{\"name\":\"x\",\"queries\":[{\"name\":\"a\",\"query\":\"@agent.rule_id:(a OR\"}],\"cases\":[{\"condition\":\"a > 0\",\"status\":\"low\"}]}}", "queries[0].query", "1:")]
    [InlineData("{\"rule\":{\"name\":\"x\",\"queries\":[{\"name\":\"a\",\"query\":\"*\"}],\"cases\":[{\"condition\":\"b > 0\",\"status\":\"low\"}]}}", "cases[0].condition", "column 1")]
    [InlineData("{\"rule\":{\"name\":\"x\",\"queries\":[{\"name\":\"a\",\"query\":\"*\"}],\"cases\":[{\"condition\":\"a >\",\"status\":\"low\"}]}}", "cases[0].condition", "column 4")]
    [InlineData("{\"rule\":{\"name\":\"x\",\"queries\":[{\"name\":\"a\",\"query\":\"*\"}],\"cases\":[{\"condition\":\"a > 0\",\"status\":\"urgent\"}]}}", "cases[0].status", "")]
    [InlineData("{\"rule\":{\"name\":\"\",\"queries\":[{\"name\":\"a\",\"query\":\"*\"}],\"cases\":[{\"condition\":\"a > 0\",\"status\":\"low\"}]}}", "name", "")]
    [InlineData("{\"rule\":{\"name\":\"x\",\"method\":\"sequence\",\"queries\":[{\"name\":\"a\",\"query\":\"*\"}],\"options\":{\"sequence\":{\"steps\":[\"a\",\"z\"]}}}}", "options.sequence.steps[1]", "")]
    [InlineData("{\"rule\":{\"name\":\"x\",\"method\":\"new_value\",\"queries\":[{\"name\":\"a\",\"query\":\"*\"}]}}", "options.new_value.field", "")]
    public async Task InvalidRule_Is400NamingTheFieldAndPosition_AndNothingIsSaved(string body, string field, string position)
    {
        var (org, admin) = await fixture.OrganizationAsync();

        using var create = await admin.PostAsync("api/v2/detection-rules", AgentBatches.Json(body));
        using var validate = await admin.PostAsync("api/v2/detection-rules/validate", AgentBatches.Json(body));

        foreach (var response in new[] { create, validate })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var message = problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString();
            Assert.Contains(position, message, StringComparison.Ordinal);
        }
        await using var scope = fixture.Api.CreateScope(org.Id, out var db);
        Assert.Empty(await db.DetectionRules.ToListAsync());
    }

    [Fact]
    public async Task Rules_OnlyAdminsChangeThem_EveryoneReadsThem_AndOtherOrganizationsSeeNone()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = new DetectionRuleDefinition { Name = "r", Queries = [new RuleQuery("a", "*")], Cases = [new RuleCase("a > 0", "low")] };
        var id = await DetectionFixture.CreateRuleAsync(admin, rule);
        using var readOnly = fixture.Api.CreateClient();
        readOnly.DefaultRequestHeaders.Authorization = new("Bearer", org.ApplicationKey);
        var (_, otherAdmin) = await fixture.OrganizationAsync();

        using var readOnlyCreate = await readOnly.PostAsJsonAsync("api/v2/detection-rules", new DetectionRuleRequest(rule), ApiJson.Options);
        var listed = await readOnly.GetFromJsonAsync<List<DetectionRuleDto>>("api/v2/detection-rules", ApiJson.Options);
        using var otherGet = await otherAdmin.GetAsync($"api/v2/detection-rules/{id}");
        using var otherDelete = await otherAdmin.DeleteAsync($"api/v2/detection-rules/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, readOnlyCreate.StatusCode);
        Assert.Contains(listed!, r => r.Id == id && !r.BuiltIn);
        Assert.Contains(listed!, r => r.Id == BuiltInDetectionRules.AgentRuleMatchedId && r.BuiltIn);
        Assert.Equal(HttpStatusCode.NotFound, otherGet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherDelete.StatusCode);
    }

    [Fact]
    public async Task DisablingARule_StopsItFromRaisingSignals()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var rule = new DetectionRuleDefinition { Name = "r", Queries = [new RuleQuery("a", "@agent.rule_id:watched")], Cases = [new RuleCase("a > 0", "low")] };
        var id = await DetectionFixture.CreateRuleAsync(admin, rule);

        using var disable = await admin.PutAsJsonAsync($"api/v2/detection-rules/{id}", new DetectionRuleRequest(rule, Enabled: false, Version: 1), ApiJson.Options);
        await fixture.PostAsync(org, "h", [DetectionFixture.Event("watched", DateTimeOffset.UtcNow)]);

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Empty(await fixture.SignalsAsync(org, id));
    }

    [Fact]
    public async Task TestAgainstStoredEvents_ShowsWhatTheRuleWouldRaise_AndSavesNothing()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-30);
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("auth_failure", t0), DetectionFixture.Event("auth_failure", t0.AddSeconds(1)),
            DetectionFixture.Event("auth_failure", t0.AddSeconds(2)), DetectionFixture.Event("shell_spawned", t0)]);
        await fixture.PostAsync(org, "web-2", [DetectionFixture.Event("auth_failure", t0)]);
        var rule = new DetectionRuleDefinition
        {
            Name = "Failures on {{host}}", Queries = [new RuleQuery("a", "@agent.rule_id:auth_failure")], GroupBy = ["host"],
            Cases = [new RuleCase("a >= 3", "high"), new RuleCase("a > 0", "low")],
        };

        using var response = await admin.PostAsJsonAsync("api/v2/detection-rules/test", new DetectionRuleTestRequest(rule, 1), ApiJson.Options);
        var result = await response.Content.ReadFromJsonAsync<DetectionRuleTestResult>(ApiJson.Options);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, result!.EventsScanned);
        Assert.Equal([("Failures on web-1", "high", 3), ("Failures on web-2", "low", 1)],
            result.Signals.OrderBy(s => s.Title).Select(s => (s.Title, s.Severity, s.EventCount)));
        await using var scope = fixture.Api.CreateScope(org.Id, out var db);
        Assert.Empty(await db.DetectionRules.ToListAsync());
    }

    [Fact]
    public async Task AgentEventsSearch_UsesTheSameQueryLanguage()
    {
        var (org, admin) = await fixture.OrganizationAsync();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        await fixture.PostAsync(org, "web-1", [DetectionFixture.Event("shell_spawned", t0, "/usr/bin/bash"),
            DetectionFixture.Event("shell_spawned", t0.AddSeconds(1), "/usr/bin/zsh"), DetectionFixture.Event("other", t0, "/usr/bin/zsh")]);

        var page = await admin.GetFromJsonAsync<AgentEventPage>(
            $"api/v2/events?from=now-1h&query={Uri.EscapeDataString("@agent.rule_id:shell_spawned @process.executable.path:*zsh host:web-1")}", ApiJson.Options);
        using var bad = await admin.GetAsync($"api/v2/events?query={Uri.EscapeDataString("@a:[1 TO")}");

        var only = Assert.Single(page!.Data);
        Assert.Equal(("shell_spawned", "web-1"), (only.RuleId, only.Hostname));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task BuiltInRule_CannotBeEditedOrDeleted()
    {
        var (_, admin) = await fixture.OrganizationAsync();

        using var delete = await admin.DeleteAsync($"api/v2/detection-rules/{BuiltInDetectionRules.AgentRuleMatchedId}");

        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
    }
}
