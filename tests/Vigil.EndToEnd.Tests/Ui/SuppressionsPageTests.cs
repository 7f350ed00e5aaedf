using Microsoft.Playwright;
using Vigil.Testing;
using static Vigil.EndToEnd.Tests.Ui.UiScenario;

namespace Vigil.EndToEnd.Tests.Ui;

/// <summary>The Suppressions page and the assignee picker in Chromium, as a responder.</summary>
public sealed class SuppressionsPageTests(ProductionDeployment deployment) : IClassFixture<ProductionDeployment>
{
    [Fact]
    public async Task Suppressions_CreateWithAMistakeThenFixIt_ListsTheSuppression()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.ResponderEmail, org.Password);
        await OpenAsync(page, "suppressions");

        await page.GetByTestId("suppression-new").ClickAsync();
        await page.GetByTestId("sup-name").FillAsync("backups");
        await page.GetByTestId("sup-query").FillAsync("@process.executable.path:(/usr/bin/rsync");
        await page.GetByTestId("sup-reason").FillAsync("nightly backup job");
        await page.GetByTestId("sup-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("error-query")).ToContainTextAsync("unbalanced parenthesis");
        await ScreenshotAsync(page, "suppressions-error");

        await page.GetByTestId("sup-query").FillAsync("@process.executable.path:/usr/bin/rsync");
        await page.GetByTestId("sup-preview-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sup-preview")).ToContainTextAsync("would have hidden 0 of");
        await page.GetByTestId("sup-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("suppression-row").Filter(new() { HasText = "backups" })).ToContainTextAsync("all rules");
        await ScreenshotAsync(page, "suppressions");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AssigneePicker_PickingAMember_FiltersTheSignalsByAssignee()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.ResponderEmail, org.Password);
        await WaitForLiveAsync(page);

        await page.GetByTestId("assignee-picker").SelectOptionAsync(new SelectOptionValue { Index = 1 }); // the first member (option 0 is the prompt)

        await Assertions.Expect(page.GetByTestId("query-input")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^@workflow\\.triage\\.assignee\\.uuid:\"[0-9a-f-]{36}\"$"));
        Assert.Contains("assignee.uuid", Uri.UnescapeDataString(page.Url), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("signals-error")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
