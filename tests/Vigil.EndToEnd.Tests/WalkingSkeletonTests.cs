using System.Net;
using Microsoft.Playwright;
using Vigil.Testing;

namespace Vigil.EndToEnd.Tests;

/// <summary>Agent batch → Ingest → RabbitMQ → PostgreSQL → Api → Signals page, with real parts throughout.</summary>
public sealed class WalkingSkeletonTests(ProductionDeployment deployment) : IClassFixture<ProductionDeployment>
{
    [Fact]
    public async Task AgentBatch_OnPostgresAndRabbitMq_ShowsAsSignalInApiAndOnSignalsPage()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var ruleId = $"shell_spawned_{Guid.NewGuid():N}"[..24];
        var host = $"web-{Guid.NewGuid():N}"[..12];
        using var ingest = deployment.Ingest.CreateClient();

        using var response = await ingest.SendAsync(AgentBatches.IntakeRequest(org.AgentApiKey,
            AgentBatches.Batch($"b-{Guid.NewGuid():N}", host, AgentBatches.ExecEvent(ruleId))));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var signal = await ApiPolling.WaitForSignalAsync(deployment.Api.Address, org.ApplicationKey, ruleId);
        Assert.Equal(host, signal.Hostname);
        Assert.Equal("medium", signal.Severity);
        Assert.Equal("open", signal.Status);

        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.ReadOnlyEmail, org.Password);
        var row = page.GetByTestId("signal-row").Filter(new() { HasText = ruleId });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.GetByTestId("signal-host")).ToHaveTextAsync(host);
        await Assertions.Expect(row.GetByTestId("severity")).ToHaveTextAsync("medium");
        Directory.CreateDirectory(Path.Combine(TestSettings.RepositoryRoot, "artifacts"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestSettings.RepositoryRoot, "artifacts", "signals-page.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignalsPage_UserOfAnotherOrganization_SeesNoneOfItsSignals()
    {
        var orgA = await TestOrganization.CreateAsync(deployment.Api.Services);
        var orgB = await TestOrganization.CreateAsync(deployment.Api.Services);
        var ruleA = $"org_a_only_{Guid.NewGuid():N}"[..24];
        var ruleB = $"org_b_only_{Guid.NewGuid():N}"[..24];
        using var ingest = deployment.Ingest.CreateClient();
        foreach (var (key, rule) in new[] { (orgA.AgentApiKey, ruleA), (orgB.AgentApiKey, ruleB) })
        {
            using var posted = await ingest.SendAsync(AgentBatches.IntakeRequest(key,
                AgentBatches.Batch($"b-{Guid.NewGuid():N}", "shared-host", AgentBatches.ExecEvent(rule))));
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }
        await ApiPolling.WaitForSignalAsync(deployment.Api.Address, orgA.ApplicationKey, ruleA);
        await ApiPolling.WaitForSignalAsync(deployment.Api.Address, orgB.ApplicationKey, ruleB);

        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, orgB.AdminEmail, orgB.Password);

        await Assertions.Expect(page.GetByTestId("signal-row").Filter(new() { HasText = ruleB })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("signal-row").Filter(new() { HasText = ruleA })).ToHaveCountAsync(0);
        Assert.DoesNotContain(ruleA, await page.ContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignalsPage_WithoutLogin_RedirectsToLogin()
    {
        var context = await deployment.Browser.Instance.NewContextAsync(new() { BaseURL = deployment.Web.Address.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("signals");

        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("login-submit")).ToBeVisibleAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task Login_WrongPassword_StaysOnLoginWithError()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var context = await deployment.Browser.Instance.NewContextAsync(new() { BaseURL = deployment.Web.Address.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("login");

        await page.GetByTestId("email").FillAsync(org.AdminEmail);
        await page.GetByTestId("password").FillAsync("not-the-password");
        await page.GetByTestId("login-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("login-error")).ToHaveTextAsync("The e-mail or password is wrong.");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Logout_AfterLogin_RevokesTheSessionAndReturnsToLogin()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.ResponderEmail, org.Password);
        await Assertions.Expect(page.GetByTestId("current-user")).ToContainTextAsync("Responder");

        await page.GetByTestId("logout").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync("signals");

        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
