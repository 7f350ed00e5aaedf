using Microsoft.Playwright;

namespace Vigil.Testing;

/// <summary>Headless Debian Chromium driven by Playwright (no browser download: the package's driver + the system browser).</summary>
public sealed class Browser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Instance = browser;
    }

    public IBrowser Instance { get; }

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(TestSettings.Chromium))
            throw new InvalidOperationException($"Chromium not found at {TestSettings.Chromium}. {TestSettings.StartServersHint}");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestSettings.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        return new Browser(playwright, browser);
    }

    /// <summary>A new browser context (own cookies) on a page of the given site, logged in as the user.</summary>
    public async Task<IPage> LoginAsync(Uri site, string email, string password)
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("login");
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        // Wait for the navigation away from the login page to be committed, then for the next page's shell, not for
        // its "load" event: Blazor can finish that navigation within the document it started in, and then "load" may
        // never come for the waiter (a CI run timed out here after 30 s).
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByTestId("shell").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Instance.DisposeAsync();
        _playwright.Dispose();
    }
}
