using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Vigil.Testing;
using static Vigil.EndToEnd.Tests.Ui.UiScenario;

namespace Vigil.EndToEnd.Tests.Ui;

/// <summary>The Signals Explorer in Chromium against Api + Ingest + Web on PostgreSQL and RabbitMQ.</summary>
public sealed partial class SignalsExplorerTests(ProductionDeployment deployment) : IClassFixture<ProductionDeployment>
{
    [Fact]
    public async Task Explorer_EventsPostedWhileOpen_ShowWithoutReloadAndFilterByFacetAndQuery()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.ResponderEmail, org.Password);
        await WaitForLiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signals-empty")).ToBeVisibleAsync();
        var (ruleA, ruleB) = (Unique("rule_a"), Unique("rule_b"));
        var (hostA, hostB) = (Unique("host-a"), Unique("host-b"));

        // The page listens to the Api's live hub (it would say "poll" if the hub were unreachable).
        await Assertions.Expect(page.GetByTestId("signals-explorer")).ToHaveAttributeAsync("data-live-mode", "push", new() { Timeout = 30_000 });

        await PostAsync(deployment.Ingest, org.AgentApiKey, hostA, AgentBatches.ExecEvent(ruleA));
        await PostAsync(deployment.Ingest, org.AgentApiKey, hostB, AgentBatches.ExecEvent(ruleB));

        // No reload: the hub's push brings them in, well before the page's own minute-long refresh would.
        var pushed = new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 };
        await Assertions.Expect(Row(page, ruleA)).ToHaveCountAsync(1, pushed);
        await Assertions.Expect(Row(page, ruleB)).ToHaveCountAsync(1, pushed);

        // A facet click filters and puts the term in the query bar and the URL.
        var hostFacet = page.Locator("[data-facet=host]").GetByTestId("facet-value").Filter(new() { HasText = hostA });
        await Assertions.Expect(hostFacet.GetByTestId("facet-count")).ToHaveTextAsync("1");
        await hostFacet.ClickAsync();
        await Assertions.Expect(page.GetByTestId("query-input")).ToHaveValueAsync($"host:\"{hostA}\"");
        await Assertions.Expect(Row(page, ruleB)).ToHaveCountAsync(0);
        await Assertions.Expect(Row(page, ruleA)).ToHaveCountAsync(1);
        Assert.Contains("q=host", page.Url, StringComparison.Ordinal);
        await ScreenshotAsync(page, "signals-facet-filter");

        // The URL holds the whole search: opening it fresh shows the same filtered list.
        var shared = await page.Context.NewPageAsync();
        await shared.GotoAsync(page.Url);
        await Assertions.Expect(Row(shared, ruleA)).ToHaveCountAsync(1, Slow);
        await Assertions.Expect(Row(shared, ruleB)).ToHaveCountAsync(0);
        await shared.CloseAsync();

        // A typed query.
        await page.GetByTestId("query-input").FillAsync($"@agent.rule_id:{ruleB}");
        await page.GetByTestId("query-input").PressAsync("Enter");
        await Assertions.Expect(Row(page, ruleB)).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, ruleA)).ToHaveCountAsync(0);

        // A mistake is explained next to the bar, with its position; the page stays usable.
        await page.GetByTestId("query-input").FillAsync("host:(web-1");
        await page.GetByTestId("query-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("query-error")).ToContainTextAsync(new Regex(@"at \d+:\d+"));
        await Assertions.Expect(page.GetByTestId("signals-table")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "signals-query-error");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SidePanel_Responder_SeesProcessTreeAndAssignsCommentsAndArchives()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var rule = Unique("shell_from_web");
        await PostAsync(deployment.Ingest, org.AgentApiKey, "web-1", ExecWithAncestry(rule));
        var signal = await ApiPolling.WaitForSignalAsync(deployment.Api.Address, org.ApplicationKey, rule);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.ResponderEmail, org.Password);
        await WaitForLiveAsync(page);

        await Row(page, rule).ClickAsync();

        var panel = page.GetByTestId("signal-panel");
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-signal-id", signal.Id.ToString());
        await Assertions.Expect(panel.GetByTestId("what-happened")).ToContainTextAsync("root ran /usr/bin/bash -c id on web-1, started by /usr/sbin/nginx");
        var nodes = panel.GetByTestId("process-node");
        await Assertions.Expect(nodes).ToHaveCountAsync(3);
        await Assertions.Expect(nodes.Nth(0)).ToContainTextAsync("systemd");
        await Assertions.Expect(nodes.Nth(1)).ToContainTextAsync("nginx");
        await Assertions.Expect(nodes.Nth(2)).ToHaveAttributeAsync("data-matched", "true");
        await Assertions.Expect(nodes.Nth(2)).ToContainTextAsync("bash");
        Assert.Contains($"signal={signal.Id}", page.Url, StringComparison.Ordinal);

        await panel.GetByTestId("triage-assign-me").ClickAsync();
        await Assertions.Expect(panel.GetByTestId("triage-assignee")).ToHaveTextAsync(org.ResponderEmail);

        await panel.GetByTestId("triage-comment").FillAsync("Looks like the deploy script; checking with the team.");
        await panel.GetByTestId("triage-comment-submit").ClickAsync();
        await Assertions.Expect(panel.GetByTestId("comment")).ToContainTextAsync("checking with the team");

        await panel.GetByTestId("triage-state").SelectOptionAsync("archived");
        await Assertions.Expect(panel.GetByTestId("triage-reason-required")).ToBeVisibleAsync();
        await Assertions.Expect(panel.GetByTestId("triage-apply")).ToBeDisabledAsync();
        await panel.GetByTestId("triage-archive-reason").SelectOptionAsync("testing_or_maintenance");
        await panel.GetByTestId("triage-archive-comment").FillAsync("deploy script");
        await panel.GetByTestId("triage-apply").ClickAsync();

        await Assertions.Expect(panel.GetByTestId("panel-status")).ToHaveTextAsync("archived (testing_or_maintenance)");
        await Assertions.Expect(panel.GetByTestId("history-entry").Filter(new() { HasText = "state" })).ToContainTextAsync("open → archived");
        await Assertions.Expect(panel.GetByTestId("history-entry").Filter(new() { HasText = "assignee" })).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, rule).GetByTestId("signal-status")).ToHaveTextAsync("archived");
        await Assertions.Expect(Row(page, rule).GetByTestId("signal-assignee")).ToHaveTextAsync(org.ResponderEmail);
        await ScreenshotAsync(page, "signal-side-panel");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SidePanel_ReadOnlyUser_SeesNoTriageButtons()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var rule = Unique("read_only_view");
        await PostAsync(deployment.Ingest, org.AgentApiKey, "db-1", ExecWithAncestry(rule));
        var signal = await ApiPolling.WaitForSignalAsync(deployment.Api.Address, org.ApplicationKey, rule);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.ReadOnlyEmail, org.Password);

        await page.GotoAsync($"signals?signal={signal.Id}");

        var panel = page.GetByTestId("signal-panel");
        await Assertions.Expect(panel.GetByTestId("process-tree")).ToBeVisibleAsync(SlowVisible);
        await Assertions.Expect(panel.GetByTestId("triage-readonly")).ToBeVisibleAsync();
        await Assertions.Expect(panel.GetByTestId("triage-form")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Assign to me" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Apply" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SidePanel_SignalOfAnotherOrganization_IsNotShown()
    {
        var orgA = await TestOrganization.CreateAsync(deployment.Api.Services);
        var orgB = await TestOrganization.CreateAsync(deployment.Api.Services);
        var rule = Unique("org_a_secret");
        await PostAsync(deployment.Ingest, orgA.AgentApiKey, "a-host", ExecWithAncestry(rule));
        var signalOfA = await ApiPolling.WaitForSignalAsync(deployment.Api.Address, orgA.ApplicationKey, rule);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, orgB.AdminEmail, orgB.Password);

        await page.GotoAsync($"signals?signal={signalOfA.Id}&q={Uri.EscapeDataString("@agent.rule_id:" + rule)}");

        await Assertions.Expect(page.GetByTestId("panel-error")).ToContainTextAsync("does not exist", SlowText);
        await Assertions.Expect(page.GetByTestId("signals-empty")).ToBeVisibleAsync();
        Assert.DoesNotContain("a-host", await page.ContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
