using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Vigil.Api.Features.RemoteConfig;
using Vigil.Core.Contracts.Api;
using Vigil.Core.RemoteConfig;
using Vigil.Testing;
using static Vigil.EndToEnd.Tests.Ui.UiScenario;

namespace Vigil.EndToEnd.Tests.Ui;

/// <summary>Remote configuration in the browser: agent rules on the Rules page, each agent's policy status on the Agents page.</summary>
public sealed class RemoteConfigPagesTests(ProductionDeployment deployment) : IClassFixture<ProductionDeployment>
{
    [Fact]
    public async Task RulesPage_DisablingAnAgentRule_PublishesANewVersion_AndAgentsPageShowsWhatTheAgentReported()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        await ContentUpgradeTask.SeedAsync(deployment.Api.Services, org.Id, CancellationToken.None);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.ResponderEmail, org.Password);
        await OpenAsync(page, "rules");

        await Assertions.Expect(page.GetByTestId("policy-version")).ToContainTextAsync("version 1", SlowText);
        await page.GetByTestId("agent-rules-filter").FillAsync("web_server_spawned_shell");
        var row = page.GetByTestId("agent-rule-row").Filter(new() { HasText = "web_server_spawned_shell" });
        await Assertions.Expect(row).ToHaveCountAsync(1, Slow);
        await row.GetByTestId("agent-rule-enabled").UncheckAsync();
        await Assertions.Expect(page.GetByTestId("policy-version")).ToContainTextAsync("version 2", SlowText);
        await Assertions.Expect(row).ToContainTextAsync("off");
        await ScreenshotAsync(page, "agent-rules");

        using var ingest = deployment.Ingest.CreateClient();
        ingest.DefaultRequestHeaders.Add("DD-API-KEY", org.AgentApiKey);
        using var report = await ingest.PostAsJsonAsync("api/v2/agent/policy/status", new PolicyStatusReport("rc-ui-host", 2, new string('a', 64),
            [new AgentPolicyLoadError("some_rule", "syntax error: 1:5: field `exec.foo` not found")],
            "policy version 3 refused: the signature does not verify against the pinned key"), ApiJson.Options);
        Assert.Equal(HttpStatusCode.NoContent, report.StatusCode);

        await page.GotoAsync("agents");
        var agent = page.GetByTestId("agent-row").Filter(new() { HasText = "rc-ui-host" });
        await Assertions.Expect(agent).ToHaveCountAsync(1, Slow);
        await Assertions.Expect(agent.GetByTestId("agent-policy")).ToContainTextAsync("v2");
        await Assertions.Expect(agent.GetByTestId("agent-policy-errors")).ToContainTextAsync("1 rule failed to load");
        await Assertions.Expect(agent.GetByTestId("agent-policy-refusal")).ToContainTextAsync("signature does not verify");
        await ScreenshotAsync(page, "agents-policy-status");
        await page.Context.CloseAsync();
    }
}
