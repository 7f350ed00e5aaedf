using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.EndToEnd.Tests;

/// <summary>The embedded mode (SQLite, in-memory bus and jobs) started exactly as the README says.</summary>
public sealed class EmbeddedQuickstartTests
{
    [Fact]
    public async Task BuildShRun_FirstStart_PrintsCredentialsAndServesTheWholePath()
    {
        await using var quickstart = await QuickstartProcess.StartAsync(localAgent: true);
        Assert.StartsWith("http://127.0.0.1:", quickstart.Url.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(quickstart.DataFolder, "vigil.db")), "the SQLite file lives in the data folder");
        Assert.Equal(quickstart.AgentApiKey, (await File.ReadAllTextAsync(Path.Combine(quickstart.DataFolder, "local-agent.key"))).Trim());

        using var http = new HttpClient { BaseAddress = quickstart.Url };
        var ruleId = $"quickstart_{Guid.NewGuid():N}"[..20];
        using (var posted = await http.SendAsync(AgentBatches.IntakeRequest(quickstart.AgentApiKey,
                   AgentBatches.Batch($"qs-{Guid.NewGuid():N}", "quickstart-host", AgentBatches.ExecEvent(ruleId)))))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var login = await (await http.PostAsJsonAsync("api/v2/auth/login",
            new LoginRequest(quickstart.AdminEmail, quickstart.AdminPassword), ApiJson.Options)).Content
            .ReadFromJsonAsync<LoginResponse>(ApiJson.Options);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!.Token);
        var signal = await Eventually.ReturnsAsync(async () =>
            (await http.GetFromJsonAsync<SignalPage>("api/v2/signals", ApiJson.Options))!.Data.FirstOrDefault(s => s.AgentRuleId == ruleId),
            "the quickstart's signal");
        Assert.Equal("quickstart-host", signal.Hostname);

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.LoginAsync(quickstart.Url, quickstart.AdminEmail, quickstart.AdminPassword);
        await Assertions.Expect(page.GetByTestId("signal-row").Filter(new() { HasText = ruleId })).ToHaveCountAsync(1);

        // The local agent (started because this test asked for it) reports its heartbeat to the same process.
        await Eventually.TrueAsync(() => Task.FromResult(HasAgentHost(quickstart.DataFolder)), "the local agent's heartbeat");
    }

    private static bool HasAgentHost(string dataFolder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataFolder, "vigil.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM agent_hosts";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
