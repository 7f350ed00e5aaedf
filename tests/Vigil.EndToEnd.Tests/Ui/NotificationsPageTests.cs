using System.Net;
using Microsoft.Playwright;
using Vigil.Testing;
using static Vigil.EndToEnd.Tests.Ui.UiScenario;

namespace Vigil.EndToEnd.Tests.Ui;

/// <summary>The Notifications page in Chromium: a webhook channel to a real HTTP listener on loopback, a test-send, a rule.</summary>
public sealed class NotificationsPageTests(ProductionDeployment deployment) : IClassFixture<ProductionDeployment>
{
    [Fact]
    public async Task Notifications_CreateChannelTestSendAndRule_ShowErrorsByFieldAndTheDelivery()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        using var receiver = new HttpListener();
        var port = LoopbackPort.Free();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        var received = ReceiveOneAsync(receiver);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.AdminEmail, org.Password);
        await OpenAsync(page, "notifications");

        // A bad URL: the Api's message shows under the URL field, nothing is saved.
        await page.GetByTestId("channel-new").ClickAsync();
        await page.GetByTestId("channel-type").SelectOptionAsync("webhook");
        await page.GetByTestId("channel-name").FillAsync("soar");
        await page.GetByTestId("channel-secret").FillAsync("not a url");
        await page.GetByTestId("channel-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("error-webhook.url")).ToContainTextAsync("http or https URL");
        await ScreenshotAsync(page, "notifications-channel-error");

        await page.GetByTestId("channel-secret").FillAsync($"http://127.0.0.1:{port}/hook");
        await page.GetByTestId("channel-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("channel-editor")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("channel-row").Filter(new() { HasText = "soar" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("channel-signing-secret")).Not.ToBeEmptyAsync();

        // Test-send: the delivery reaches the listener and the log says delivered.
        await page.GetByTestId("channel-test").ClickAsync();
        await Assertions.Expect(page.GetByTestId("channel-status")).ToContainTextAsync("queued");
        Assert.Contains("\"", await received.WaitAsync(TimeSpan.FromSeconds(60)), StringComparison.Ordinal);
        var delivered = page.GetByTestId("delivery-row").Filter(new() { HasText = "soar" }).GetByTestId("delivery-status");
        for (var i = 0; i < 30 && await delivered.TextContentAsync() != "delivered"; i++)
        {
            await Task.Delay(1000);
            await page.GetByTestId("delivery-refresh").ClickAsync();
        }
        await Assertions.Expect(delivered).ToHaveTextAsync("delivered");

        // A rule routing high signals to the channel.
        await page.GetByTestId("nrule-new").ClickAsync();
        await page.GetByTestId("nrule-name").FillAsync("high to soar");
        await page.Locator("[data-testid=nrule-channel][data-channel=soar]").CheckAsync();
        await page.GetByTestId("nrule-severity").SelectOptionAsync("high");
        await page.GetByTestId("nrule-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("nrule-row").Filter(new() { HasText = "high to soar" })).ToContainTextAsync("@webhook-soar");
        await ScreenshotAsync(page, "notifications");
        await page.Context.CloseAsync();
    }

    private static async Task<string> ReceiveOneAsync(HttpListener listener)
    {
        var context = await listener.GetContextAsync();
        using var reader = new StreamReader(context.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        context.Response.StatusCode = 200;
        context.Response.Close();
        return body;
    }
}
