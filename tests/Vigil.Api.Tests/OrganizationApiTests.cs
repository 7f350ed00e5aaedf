using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class OrganizationApiTests(ApiFixture api)
{
    [Fact]
    public async Task GetOrg_AsReadOnly_ShowsTheOwnOrganization()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client(await api.LoginAsync(org.ReadOnlyEmail, org.Password));

        var shown = (await http.GetFromJsonAsync<OrganizationDto>("api/v2/org", ApiJson.Options))!;

        Assert.Equal((org.Id, org.Name), (shown.Id, shown.Name));
        Assert.InRange(shown.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Rename_AsAdmin_StoresTheTrimmedNameForThatOrganizationOnly()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        var other = await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client(await api.LoginAsync(org.AdminEmail, org.Password));

        using var response = await http.PatchAsJsonAsync("api/v2/org", new RenameOrganizationRequest("  Acme Security  "), ApiJson.Options);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Acme Security", (await response.Content.ReadFromJsonAsync<OrganizationDto>(ApiJson.Options))!.Name);
        Assert.Equal("Acme Security", (await http.GetFromJsonAsync<OrganizationDto>("api/v2/org", ApiJson.Options))!.Name);
        using var otherHttp = api.Client(await api.LoginAsync(other.AdminEmail, other.Password));
        Assert.Equal(other.Name, (await otherHttp.GetFromJsonAsync<OrganizationDto>("api/v2/org", ApiJson.Options))!.Name);
    }

    [Theory]
    [InlineData("responder")]
    [InlineData("read_only")]
    public async Task Rename_NotAdmin_Is403AndKeepsTheName(string role)
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client(await api.LoginAsync(role == "responder" ? org.ResponderEmail : org.ReadOnlyEmail, org.Password));

        using var response = await http.PatchAsJsonAsync("api/v2/org", new RenameOrganizationRequest("Taken over"), ApiJson.Options);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(org.Name, (await http.GetFromJsonAsync<OrganizationDto>("api/v2/org", ApiJson.Options))!.Name);
    }

    [Fact]
    public async Task Rename_Anonymous_Is401()
    {
        using var http = api.Client();

        using var response = await http.PatchAsJsonAsync("api/v2/org", new RenameOrganizationRequest("x"), ApiJson.Options);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("   ", "required")]
    [InlineData("line\nbreak", "control characters")]
    [InlineData("201", "at most 200")]
    public async Task Rename_InvalidName_Is400ProblemNamingTheField(string? name, string expected)
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client(await api.LoginAsync(org.AdminEmail, org.Password));
        if (name == "201")
            name = new string('n', 201);

        using var response = await http.PatchAsJsonAsync("api/v2/org", new RenameOrganizationRequest(name), ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(expected, problem.RootElement.GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(org.Name, (await http.GetFromJsonAsync<OrganizationDto>("api/v2/org", ApiJson.Options))!.Name);
    }
}
