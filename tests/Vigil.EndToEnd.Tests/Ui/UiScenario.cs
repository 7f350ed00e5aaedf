using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Vigil.Testing;

namespace Vigil.EndToEnd.Tests.Ui;

/// <summary>What the browser tests share: posting agent events through Ingest, screenshots, generous waits.</summary>
internal static class UiScenario
{
    /// <summary>Long enough for ingest → bus → detection → a refresh of the page on a loaded CI machine.</summary>
    public static readonly LocatorAssertionsToHaveCountOptions Slow = new() { Timeout = 60_000 };
    public static readonly LocatorAssertionsToBeVisibleOptions SlowVisible = new() { Timeout = 60_000 };
    public static readonly LocatorAssertionsToContainTextOptions SlowText = new() { Timeout = 60_000 };

    public static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>An exec of bash started by nginx started by systemd, as an agent with process ancestry reports it.</summary>
    public static JsonObject ExecWithAncestry(string ruleId)
    {
        var e = AgentBatches.ExecEvent(ruleId);
        var process = e["process"]!.AsObject();
        process["ppid"] = 812;
        process["ancestors"] = new JsonArray(
            new JsonObject { ["pid"] = 812, ["comm"] = "nginx", ["user"] = "www-data", ["executable"] = new JsonObject { ["path"] = "/usr/sbin/nginx", ["name"] = "nginx" }, ["args"] = new JsonArray("-g", "daemon off;") },
            new JsonObject { ["pid"] = 1, ["comm"] = "systemd", ["user"] = "root", ["executable"] = new JsonObject { ["path"] = "/usr/lib/systemd/systemd", ["name"] = "systemd" } });
        return e;
    }

    public static async Task PostAsync(VigilTestHost ingest, string agentApiKey, string host, params JsonNode[] events)
    {
        using var http = ingest.CreateClient();
        using var response = await http.SendAsync(AgentBatches.IntakeRequest(agentApiKey, AgentBatches.Batch($"b-{Guid.NewGuid():N}", host, events)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Saved under artifacts/screenshots/ (ignored by git), for people to look at after a run.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestSettings.RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>One element only, for a detail a full-page shot of a long page makes too small to see.</summary>
    public static async Task ScreenshotAsync(ILocator element, string name)
    {
        var folder = Path.Combine(TestSettings.RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await element.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png") });
    }

    public static ILocator Row(IPage page, string text) => page.GetByTestId("signal-row").Filter(new() { HasText = text });

    /// <summary>Opens a page and waits until its circuit is up: a click made before that would be lost.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await Assertions.Expect(page.GetByTestId("shell")).ToHaveAttributeAsync("data-interactive", "on", new() { Timeout = 60_000 });
    }

    /// <summary>Waits until the circuit is up (the live marker is set only by the interactive page).</summary>
    public static async Task WaitForLiveAsync(IPage page) =>
        await Assertions.Expect(page.GetByTestId("signals-explorer")).ToHaveAttributeAsync("data-live", "on", new() { Timeout = 60_000 });
}
