using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Api.Features.Signals;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data.Entities;
using Vigil.Testing;

namespace Vigil.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class SignalSearchTests(ApiFixture api)
{
    private async Task<(TestOrganization Org, HttpClient Http)> ArrangeAsync()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        await using (var scope = api.Host.CreateScope(org.Id, out var db))
        {
            var now = DateTime.UtcNow;
            Signal Make(string agentRule, string host, Severity severity, int minutesAgo, string path, string tactic, string? image = null) => new()
            {
                ContainerId = image is null ? null : $"c0ffee{host}", ContainerImage = image,
                RuleId = "r", AgentRuleId = agentRule, Title = $"{agentRule} on {host}", Severity = severity, Hostname = host,
                GroupKey = $"host:{host}", FirstSeen = now.AddMinutes(-minutesAgo), LastSeen = now.AddMinutes(-minutesAgo), EventCount = 1,
                TagsJson = $"[\"tactic:{tactic}\"]",
                SampleEventJson = $"{{\"agent\":{{\"rule_id\":\"{agentRule}\"}},\"process\":{{\"executable\":{{\"path\":\"{path}\"}}}}"
                    + (image is null ? "}" : $",\"container\":{{\"id\":\"c0ffee{host}\"}},\"tags\":[\"image_name:{image}\"]}}"),
            };
            db.Signals.AddRange(
                Make("shell_spawned", "web-1", Severity.High, 5, "/usr/bin/bash", "TA0002-execution", image: "nginx:1.25"),
                Make("shell_spawned", "web-2", Severity.Medium, 10, "/usr/bin/dash", "TA0002-execution", image: "nginx:1.25"),
                Make("ptrace_antidebug", "db-1", Severity.Critical, 20, "/tmp/x", "TA0005-defense-evasion"),
                Make("old_rule", "web-1", Severity.Low, 60 * 48, "/usr/bin/bash", "TA0002-execution"));
            await db.SaveChangesAsync();
        }
        return (org, api.Client(org.ApplicationKey));
    }

    private static async Task<List<string>> TitlesAsync(HttpClient http, string url) =>
        (await http.GetFromJsonAsync<SignalPage>(url, ApiJson.Options))!.Data.Select(s => s.Title).ToList();

    [Theory]
    [InlineData("@agent.rule_id:shell_spawned", "shell_spawned on web-1|shell_spawned on web-2")]
    [InlineData("host:web-1", "shell_spawned on web-1|old_rule on web-1")]
    [InlineData("host:web-* -status:low", "shell_spawned on web-1|shell_spawned on web-2")]
    [InlineData("status:(high OR critical)", "shell_spawned on web-1|ptrace_antidebug on db-1")]
    [InlineData("@process.executable.path:/tmp/*", "ptrace_antidebug on db-1")]
    [InlineData("tactic:TA0005-defense-evasion", "ptrace_antidebug on db-1")]
    [InlineData("@workflow.triage.state:open host:db-1", "ptrace_antidebug on db-1")]
    [InlineData("image_name:\"nginx:1.25\"", "shell_spawned on web-1|shell_spawned on web-2")]
    [InlineData("@container.id:\"c0ffeeweb-2\"", "shell_spawned on web-2")]
    [InlineData("-@container.id:*", "ptrace_antidebug on db-1|old_rule on web-1")]
    public async Task Query_FiltersSignals(string query, string expected)
    {
        var (_, http) = await ArrangeAsync();

        var titles = await TitlesAsync(http, $"api/v2/signals?query={Uri.EscapeDataString(query)}");

        Assert.Equal(expected.Split('|'), titles);
    }

    [Fact]
    public async Task TimeRange_RelativeAndAbsolute_LimitTheSignals()
    {
        var (_, http) = await ArrangeAsync();
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-15).ToString("O"));

        var lastDay = await TitlesAsync(http, "api/v2/signals?from=now-1d");
        var lastQuarter = await TitlesAsync(http, $"api/v2/signals?from={from}&to=now");

        Assert.Equal(3, lastDay.Count);
        Assert.Equal(["shell_spawned on web-1", "shell_spawned on web-2"], lastQuarter);
    }

    [Fact]
    public async Task Facets_CountTheMatchingSignals()
    {
        var (_, http) = await ArrangeAsync();

        var facets = await http.GetFromJsonAsync<SignalFacets>("api/v2/signals/facets?from=now-1d", ApiJson.Options);

        Assert.Equal(3, facets!.Total);
        Assert.Equal(2, facets.Facets["agent_rule"]["shell_spawned"]);
        Assert.Equal(1, facets.Facets["severity"]["critical"]);
        Assert.Equal(2, facets.Facets["tactic"]["TA0002-execution"]);
        Assert.Equal(3, facets.Facets["status"]["open"]);
        Assert.False(facets.Truncated);
        Assert.Equal(new Dictionary<string, int> { ["c0ffeeweb-1"] = 1, ["c0ffeeweb-2"] = 1 }, facets.Facets["container"]);
        Assert.Equal(new Dictionary<string, int> { ["nginx:1.25"] = 2 }, facets.Facets["image"]);
    }

    [Fact]
    public async Task Facets_AfterAnImageClick_CountOnlyThatImagesSignals()
    {
        var (_, http) = await ArrangeAsync();
        var click = Uri.EscapeDataString("image_name:\"nginx:1.25\" host:web-1");

        var facets = await http.GetFromJsonAsync<SignalFacets>($"api/v2/signals/facets?from=now-1d&query={click}", ApiJson.Options);

        Assert.Equal(1, facets!.Total);
        Assert.Equal(new Dictionary<string, int> { ["c0ffeeweb-1"] = 1 }, facets.Facets["container"]);
        Assert.Equal(new Dictionary<string, int> { ["web-1"] = 1 }, facets.Facets["host"]);
    }

    [Theory]
    [InlineData("query=host:(a OR", "query", "1:")]
    [InlineData("from=yesterday", "from", "ISO 8601")]
    [InlineData("from=now-1h&to=now-2h", "from", "before")]
    public async Task BadSearch_Is400NamingTheParameter(string parameters, string field, string expected)
    {
        var (_, http) = await ArrangeAsync();

        using var response = await http.GetAsync($"api/v2/signals?{parameters}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(expected, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryPaging_FollowsTheCursorThroughFilteredResults()
    {
        var (_, http) = await ArrangeAsync();

        var first = await http.GetFromJsonAsync<SignalPage>("api/v2/signals?limit=1&query=host:web-*", ApiJson.Options);
        var second = await http.GetFromJsonAsync<SignalPage>($"api/v2/signals?limit=1&query=host:web-*&cursor={Uri.EscapeDataString(first!.NextCursor!)}", ApiJson.Options);
        var third = await http.GetFromJsonAsync<SignalPage>($"api/v2/signals?limit=1&query=host:web-*&cursor={Uri.EscapeDataString(second!.NextCursor!)}", ApiJson.Options);

        Assert.Equal(["shell_spawned on web-1", "shell_spawned on web-2", "old_rule on web-1"],
            new[] { first, second, third! }.Select(p => p.Data.Single().Title));
        Assert.Null(third!.NextCursor);
    }

    [Fact]
    public async Task Related_AreSignalsOfTheSameHostWithinADay()
    {
        var (org, http) = await ArrangeAsync();
        await api.AddSignalsAsync(org.Id, 1, "later_rule");
        await using (var scope = api.Host.CreateScope(org.Id, out var db))
        {
            var later = db.Signals.Single(s => s.RuleId == "later_rule");
            later.Hostname = "web-1";
            await db.SaveChangesAsync();
        }
        var all = await http.GetFromJsonAsync<SignalPage>("api/v2/signals", ApiJson.Options);
        var web1 = all!.Data.Single(s => s.Title == "shell_spawned on web-1");

        var related = await http.GetFromJsonAsync<List<SignalDto>>($"api/v2/signals/{web1.Id}/related", ApiJson.Options);

        // The other web-1 signal from two days ago and the other hosts' signals are not related.
        Assert.Equal(["later_rule"], related!.Select(s => s.RuleId));
    }
}
