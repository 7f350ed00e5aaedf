using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class SignalsApiTests(ApiFixture api)
{
    [Fact]
    public async Task List_PagesNewestFirstWithACursor_WithoutGapsOrRepeats()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        var stored = await api.AddSignalsAsync(org.Id, 7);
        using var http = api.Client(org.ApplicationKey);

        var seen = new List<SignalDto>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await http.GetFromJsonAsync<SignalPage>(
                "api/v2/signals?limit=3" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), ApiJson.Options);
            seen.AddRange(page!.Data);
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(stored.OrderByDescending(s => s.FirstSeen).Select(s => s.Id), seen.Select(s => s.Id));
        Assert.All(seen, s => Assert.Equal("high", s.Severity));
    }

    [Fact]
    public async Task Get_ReturnsTheSignalWithItsSampleEvent()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        var signal = (await api.AddSignalsAsync(org.Id, 1, "sample_rule"))[0];
        using var http = api.Client(org.ApplicationKey);

        var detail = await http.GetFromJsonAsync<SignalDetailDto>($"api/v2/signals/{signal.Id}", ApiJson.Options);

        Assert.Equal(signal.Id, detail!.Signal.Id);
        Assert.Equal("sample_rule", detail.SampleEvent.GetProperty("agent").GetProperty("rule_id").GetString());
        Assert.Equal("host:host-0", detail.GroupKey);
        Assert.Equal("host-0", detail.Entities!.Host);
        Assert.Empty(detail.Entities.ProcessTree);
    }

    [Fact]
    public async Task AnotherOrganization_SeesNoneOfTheSignals_NotInTheListNorById()
    {
        var orgA = await TestOrganization.CreateAsync(api.Host.Services);
        var orgB = await TestOrganization.CreateAsync(api.Host.Services);
        var signalOfA = (await api.AddSignalsAsync(orgA.Id, 2, "rule_of_a"))[0];
        await api.AddSignalsAsync(orgB.Id, 1, "rule_of_b");
        var tokenB = await api.LoginAsync(orgB.AdminEmail, orgB.Password);

        foreach (var credential in new[] { tokenB, orgB.ApplicationKey })
        {
            using var http = api.Client(credential);
            var list = await http.GetFromJsonAsync<SignalPage>("api/v2/signals?limit=500", ApiJson.Options);
            using var byId = await http.GetAsync($"api/v2/signals/{signalOfA.Id}");

            Assert.All(list!.Data, s => Assert.Equal("rule_of_b", s.RuleId));
            Assert.Single(list.Data);
            Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
        }
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=99999999999999999999:abc", "cursor")]
    public async Task List_BadParameters_Is400NamingThem(string query, string parameter)
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client(org.ApplicationKey);

        using var response = await http.GetAsync($"api/v2/signals?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task Get_UnknownId_Is404()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client(org.ApplicationKey);

        using var response = await http.GetAsync($"api/v2/signals/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
