using System.Net;
using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class UsersApiTests(ApiFixture api)
{
    [Fact]
    public async Task ListUsers_AsReadOnly_ShowsOnlyTheOwnOrganizationWithRoles()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        var other = await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client(await api.LoginAsync(org.ReadOnlyEmail, org.Password));

        var users = (await http.GetFromJsonAsync<List<OrgUserDto>>("api/v2/users", ApiJson.Options))!;

        Assert.Equal(new[] { org.AdminEmail, org.ReadOnlyEmail, org.ResponderEmail }.Order(), users.Select(u => u.Email).Order());
        Assert.Equal("admin", users.Single(u => u.Email == org.AdminEmail).Role);
        Assert.Equal("read_only", users.Single(u => u.Email == org.ReadOnlyEmail).Role);
        Assert.DoesNotContain(users, u => u.Email == other.AdminEmail);
    }

    [Fact]
    public async Task ListUsers_Anonymous_Is401()
    {
        using var http = api.Client();

        using var response = await http.GetAsync("api/v2/users");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
