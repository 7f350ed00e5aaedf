using Microsoft.Playwright;
using Vigil.Testing;
using static Vigil.EndToEnd.Tests.Ui.UiScenario;

namespace Vigil.EndToEnd.Tests.Ui;

/// <summary>Keyboard navigation, grouping, the severity histogram and the theme switch of the Signals Explorer.</summary>
public sealed class ExplorerConvenienceTests(ProductionDeployment deployment) : IClassFixture<ProductionDeployment>
{
    [Fact]
    public async Task Explorer_KeysGroupingAndTheme_WorkWithoutReload()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        var (first, second) = (Unique("key_first"), Unique("key_second"));
        await PostAsync(deployment.Ingest, org.AgentApiKey, "kb-host-1", AgentBatches.ExecEvent(first));
        await ApiPolling.WaitForSignalAsync(deployment.Api.Address, org.ApplicationKey, first);
        await PostAsync(deployment.Ingest, org.AgentApiKey, "kb-host-2", AgentBatches.ExecEvent(second));
        await ApiPolling.WaitForSignalAsync(deployment.Api.Address, org.ApplicationKey, second);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.ResponderEmail, org.Password);
        await WaitForLiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signal-row")).ToHaveCountAsync(2, Slow);
        await Assertions.Expect(page.GetByTestId("severity-histogram")).ToHaveAttributeAsync("aria-label", "2 medium");

        // j opens the first (newest) signal, j again the next, k goes back.
        await page.GetByTestId("signals-table").FocusAsync();
        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(page.GetByTestId("signal-panel")).ToContainTextAsync(second);
        await page.GetByTestId("signals-table").FocusAsync();
        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(page.GetByTestId("signal-panel")).ToContainTextAsync(first);
        await page.GetByTestId("signals-table").FocusAsync();
        await page.Keyboard.PressAsync("k");
        await Assertions.Expect(page.GetByTestId("signal-panel")).ToContainTextAsync(second);
        await page.GetByTestId("panel-close").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signal-panel")).ToHaveCountAsync(0);

        await page.GetByTestId("group-by").SelectOptionAsync("host");
        await Assertions.Expect(page.GetByTestId("group-row")).ToHaveTextAsync(["kb-host-1 (1)", "kb-host-2 (1)"]);
        Assert.Contains("group=host", page.Url, StringComparison.Ordinal);

        var before = await BackgroundAsync(page);
        var label = await page.GetByTestId("theme-toggle").TextContentAsync();
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("theme-toggle")).Not.ToHaveTextAsync(label!);
        await Eventually.TrueAsync(async () => await BackgroundAsync(page) != before, "the background to change with the theme");
        await ScreenshotAsync(page, "signals-dark-grouped");
        await page.Context.CloseAsync();
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
