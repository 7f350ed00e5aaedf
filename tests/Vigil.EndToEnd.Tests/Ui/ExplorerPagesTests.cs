using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;
using static Vigil.EndToEnd.Tests.Ui.UiScenario;

namespace Vigil.EndToEnd.Tests.Ui;

/// <summary>The other pages of the Web app: events, rules, agents, settings, in Chromium against the real platform.</summary>
public sealed class ExplorerPagesTests(ProductionDeployment deployment) : IClassFixture<ProductionDeployment>
{
    [Fact]
    public async Task EventsAndAgentsPages_AfterABatch_ShowTheEventAndTheHost()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var (rule, host) = (Unique("events_page"), Unique("agent-host"));
        await PostAsync(deployment.Ingest, org.AgentApiKey, host, AgentBatches.ExecEvent(rule), AgentBatches.ExecEvent(Unique("other_rule")), Heartbeat());
        await ApiPolling.WaitForSignalAsync(deployment.Api.Address, org.ApplicationKey, rule);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.ReadOnlyEmail, org.Password);

        await OpenAsync(page, $"events?q={Uri.EscapeDataString("@agent.rule_id:" + rule)}");

        var rows = page.GetByTestId("event-row");
        await Assertions.Expect(rows).ToHaveCountAsync(1, Slow);
        await rows.First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("event-json")).ToContainTextAsync(rule);
        await ScreenshotAsync(page, "events-page");

        await page.GetByTestId("query-input").FillAsync("@agent.rule_id:(");
        await page.GetByTestId("query-input").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("query-error")).ToBeVisibleAsync();

        await page.GotoAsync("agents");
        var agentRow = page.GetByTestId("agent-row").Filter(new() { HasText = host });
        await Assertions.Expect(agentRow).ToHaveCountAsync(1, Slow);
        // The heartbeat's probe lines, counters and drops, as Ingest stored them and the Api returns them.
        await Assertions.Expect(agentRow.Locator("[data-testid=probe-chip][data-kind=process]")).ToHaveAttributeAsync("data-state", "ok");
        await Assertions.Expect(agentRow.Locator("[data-testid=probe-chip][data-kind=dns]")).ToHaveAttributeAsync("data-state", "failed");
        await Assertions.Expect(agentRow.GetByTestId("agent-dropped")).ToHaveClassAsync("dropped-nonzero");
        await Assertions.Expect(agentRow.GetByTestId("agent-dropped")).ToContainTextAsync("12");
        await ScreenshotAsync(page, "agents-page");

        await page.GotoAsync("settings");
        await Assertions.Expect(page.GetByTestId("forbidden")).ToBeVisibleAsync();
        // A read-only member sees which organization they are in, and nothing to rename it with.
        await Assertions.Expect(page.GetByTestId("org-name")).ToHaveTextAsync(org.Name, new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("org-rename")).ToHaveCountAsync(0);

        await page.GotoAsync("notifications");
        // Not an admin: the page reads but offers no changes.
        await Assertions.Expect(page.GetByTestId("notifications-read-only")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("channel-new")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "notifications-page");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RulesPage_Admin_SeesQueryErrorPositionThenTestsSavesAndDisablesARule()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var agentRule = Unique("rule_page");
        await PostAsync(deployment.Ingest, org.AgentApiKey, "rules-host", AgentBatches.ExecEvent(agentRule));
        await ApiPolling.WaitForSignalAsync(deployment.Api.Address, org.ApplicationKey, agentRule);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.AdminEmail, org.Password);
        await OpenAsync(page, "rules");
        await Assertions.Expect(page.GetByTestId("rule-row").Filter(new() { HasText = "Agent rule matched" })).ToHaveCountAsync(1, Slow);

        await page.GetByTestId("rule-new").ClickAsync();
        var name = Unique("Bash on rules-host");
        var json = RuleJson(name, "@agent.rule_id:" + agentRule + " host:(rules-host");
        await page.GetByTestId("rule-json").FillAsync(json);

        var position = page.GetByTestId("rule-problem-position");
        await Assertions.Expect(position).ToBeVisibleAsync(SlowVisible);
        await Assertions.Expect(page.GetByTestId("rule-problem").First).ToContainTextAsync("queries[0].query");
        await Assertions.Expect(position).ToContainTextAsync("^");
        await ScreenshotAsync(page, "rules-editor-error");

        await page.GetByTestId("rule-json").FillAsync(RuleJson(name, "@agent.rule_id:" + agentRule));
        await Assertions.Expect(page.GetByTestId("rule-validation-state")).ToHaveTextAsync("✓ The rule is valid.", new() { Timeout = 60_000 });
        await page.GetByTestId("rule-test").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rule-test-result")).ToContainTextAsync("1 signal would have been raised", SlowText);

        await page.GetByTestId("rule-save").ClickAsync();
        var row = page.GetByTestId("rule-row").Filter(new() { HasText = name });
        await Assertions.Expect(row).ToHaveCountAsync(1, Slow);
        await row.GetByTestId("rule-enabled").UncheckAsync();
        await Assertions.Expect(row).ToContainTextAsync("off");
        await Assertions.Expect(row).ToContainTextAsync("2"); // the version went up
        await ScreenshotAsync(page, "rules-page");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SettingsPage_Admin_CreatesAKeyShownOnceAndRevokesIt()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.AdminEmail, org.Password);
        await OpenAsync(page, "settings");
        var section = page.GetByTestId("keys-application");
        var keyName = Unique("ci-script");

        await section.GetByTestId("key-name").FillAsync(keyName);
        await section.GetByTestId("key-role").SelectOptionAsync("responder");
        await section.GetByTestId("key-create").ClickAsync();

        var secret = await section.GetByTestId("key-secret").TextContentAsync(new() { Timeout = 60_000 });
        Assert.False(string.IsNullOrWhiteSpace(secret));
        var row = section.GetByTestId("key-row").Filter(new() { HasText = keyName });
        await Assertions.Expect(row).ToContainTextAsync("responder");
        await ScreenshotAsync(page, "settings-page");

        // The secret works against the Api, and is never shown again.
        using (var http = deployment.Api.CreateClient())
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", secret!.Trim());
            using var me = await http.GetAsync("api/v2/auth/me");
            Assert.True(me.IsSuccessStatusCode, $"the new key was refused: {(int)me.StatusCode}");
        }
        await OpenAsync(page, "settings");
        await Assertions.Expect(page.GetByTestId("keys-application").GetByTestId("key-row").Filter(new() { HasText = keyName })).ToHaveCountAsync(1, Slow);
        Assert.DoesNotContain(secret!.Trim(), await page.ContentAsync(), StringComparison.Ordinal);

        var reloadedRow = page.GetByTestId("keys-application").GetByTestId("key-row").Filter(new() { HasText = keyName });
        await reloadedRow.GetByTestId("key-revoke").ClickAsync();
        await Assertions.Expect(reloadedRow.GetByTestId("key-state")).ToHaveTextAsync("revoked");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SettingsPage_Admin_RenamesTheOrganization()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.AdminEmail, org.Password);
        await OpenAsync(page, "settings");
        var section = page.GetByTestId("organization");
        await Assertions.Expect(section.GetByTestId("org-id")).ToHaveTextAsync(org.Id.ToString(), new() { Timeout = 30_000 });
        var name = Unique("Renamed org");

        await section.GetByTestId("org-name-input").FillAsync(name);
        await section.GetByTestId("org-rename").ClickAsync();

        await Assertions.Expect(section.GetByTestId("org-name")).ToHaveTextAsync(name, new() { Timeout = 30_000 });
        await ScreenshotAsync(page, "settings-organization");
        using var http = deployment.Api.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", org.ApplicationKey);
        Assert.Equal(name, (await http.GetFromJsonAsync<OrganizationDto>("api/v2/org", ApiJson.Options))!.Name);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SettingsPage_Admin_AddsAMemberWhoCanLogIn_ThenChangesTheRoleAndDisablesThem()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.AdminEmail, org.Password);
        await OpenAsync(page, "settings");
        var users = page.GetByTestId("users");
        var email = $"{Unique("member")}@test.vigil";

        await users.GetByTestId("user-email").FillAsync(email);
        await users.GetByTestId("user-name").FillAsync("New Member");
        await users.GetByTestId("user-role").SelectOptionAsync("responder");
        await users.GetByTestId("user-create").ClickAsync();
        var password = (await users.GetByTestId("user-password").TextContentAsync(new() { Timeout = 60_000 }))!.Trim();
        var row = users.GetByTestId("user-row").Filter(new() { HasText = email });
        await Assertions.Expect(row.GetByTestId("user-state")).ToHaveTextAsync("active");
        await ScreenshotAsync(page, "settings-users");

        using (var http = deployment.Api.CreateClient())
        {
            using var login = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest(email, password), ApiJson.Options);
            Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        }
        await row.GetByTestId("user-row-role").SelectOptionAsync("read_only");
        await row.GetByTestId("user-toggle").ClickAsync();
        await Assertions.Expect(row.GetByTestId("user-state")).ToHaveTextAsync("disabled", new() { Timeout = 30_000 });
        await Assertions.Expect(row.GetByTestId("user-row-role")).ToHaveValueAsync("read_only");
        // Refused by the Api (an admin cannot demote themselves): the error shows and the role stays.
        var self = users.GetByTestId("user-row").Filter(new() { HasText = org.AdminEmail });
        await self.GetByTestId("user-row-role").SelectOptionAsync("responder");
        await Assertions.Expect(users.GetByTestId("user-error")).ToContainTextAsync("your own admin role", new() { Timeout = 30_000 });
        await Assertions.Expect(self.GetByTestId("user-row-role")).ToHaveValueAsync("admin");
        await page.Context.CloseAsync();
    }

    /// <summary>An agent heartbeat with probe status and counters, as AgentEventFactory.Heartbeat writes it.</summary>
    private static JsonObject Heartbeat()
    {
        var heartbeat = AgentBatches.ExecEvent("heartbeat");
        heartbeat["vigil"] = new JsonObject
        {
            ["agent_stats"] = new JsonObject { ["events_seen"] = 5_000, ["events_dropped"] = 9, ["kernel_lost_events"] = 3 },
            ["probes"] = new JsonObject
            {
                ["process"] = "ebpf running: 20 tracepoint programs attached (events 5000, lost 3)",
                ["dns"] = "raw_socket failed: no CAP_NET_RAW",
            },
        };
        return heartbeat;
    }

    private static string RuleJson(string name, string query) => $$"""
        {
          "name": "{{name}}",
          "method": "threshold",
          "queries": [ { "name": "a", "query": {{System.Text.Json.JsonSerializer.Serialize(query)}} } ],
          "group_by": [ "host" ],
          "cases": [ { "condition": "a > 0", "status": "high" } ]
        }
        """;
}
