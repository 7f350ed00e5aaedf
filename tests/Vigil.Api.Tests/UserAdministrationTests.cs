using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.Api.Tests;

/// <summary>Admins manage their organization's members: create with a one-time password, change roles, disable.</summary>
[Collection(ApiCollection.Name)]
public sealed class UserAdministrationTests(ApiFixture api)
{
    [Fact]
    public async Task Admin_CreatesAMember_WhoLogsInWithTheInitialPassword_AndARoleChangeTakesEffectAtOnce()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var admin = api.Client(await api.LoginAsync(org.AdminEmail, org.Password));
        var email = $"new-{Guid.NewGuid():N}@test.vigil";

        using var created = await admin.PostAsJsonAsync("api/v2/users", new CreateUserRequest(email, "New Person", "responder"), ApiJson.Options);
        var member = (await created.Content.ReadFromJsonAsync<CreatedUserDto>(ApiJson.Options))!;
        using var asMember = api.Client(await api.LoginAsync(email, member.InitialPassword));
        var signal = (await api.AddSignalsAsync(org.Id, 1))[0];
        using var triageBefore = await asMember.PatchAsJsonAsync($"api/v2/signals/{signal.Id}/state", new UpdateSignalStateRequest("under_review"), ApiJson.Options);
        using var demoted = await admin.PatchAsJsonAsync($"api/v2/users/{member.User.Id}", new UpdateUserRequest(Role: "read_only"), ApiJson.Options);
        using var triageAfter = await asMember.PatchAsJsonAsync($"api/v2/signals/{signal.Id}/state", new UpdateSignalStateRequest("open"), ApiJson.Options);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(("New Person", "responder", false), (member.User.Name, member.User.Role, member.User.Disabled));
        Assert.True(member.InitialPassword.Length >= 20);
        Assert.Equal(HttpStatusCode.OK, triageBefore.StatusCode);
        Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, triageAfter.StatusCode);
    }

    [Fact]
    public async Task DisablingAMember_EndsTheirSessionAndLogin()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var admin = api.Client(await api.LoginAsync(org.AdminEmail, org.Password));
        using var responder = api.Client(await api.LoginAsync(org.ResponderEmail, org.Password));
        var id = (await admin.GetFromJsonAsync<List<OrgUserDto>>("api/v2/users", ApiJson.Options))!.Single(u => u.Email == org.ResponderEmail).Id;

        using var disabled = await admin.PatchAsJsonAsync($"api/v2/users/{id}", new UpdateUserRequest(Disabled: true), ApiJson.Options);
        using var afterward = await responder.GetAsync("api/v2/signals");
        using var login = await api.Client().PostAsJsonAsync("api/v2/auth/login", new LoginRequest(org.ResponderEmail, org.Password), ApiJson.Options);

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterward.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task TheLastAdmin_CannotBeDemotedOrDisabled_AndAnAdminCannotDemoteThemselves()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var admin = api.Client(await api.LoginAsync(org.AdminEmail, org.Password));
        var users = (await admin.GetFromJsonAsync<List<OrgUserDto>>("api/v2/users", ApiJson.Options))!;
        var self = users.Single(u => u.Email == org.AdminEmail).Id;

        using var selfDemote = await admin.PatchAsJsonAsync($"api/v2/users/{self}", new UpdateUserRequest(Role: "responder"), ApiJson.Options);
        using var promote = await admin.PatchAsJsonAsync($"api/v2/users/{users.Single(u => u.Email == org.ResponderEmail).Id}", new UpdateUserRequest(Role: "admin"), ApiJson.Options);
        using var secondAdmin = api.Client(await api.LoginAsync(org.ResponderEmail, org.Password));
        using var demoteFirst = await secondAdmin.PatchAsJsonAsync($"api/v2/users/{self}", new UpdateUserRequest(Role: "read_only"), ApiJson.Options);
        using var demoteLast = await secondAdmin.PatchAsJsonAsync($"api/v2/users/{users.Single(u => u.Email == org.ResponderEmail).Id}", new UpdateUserRequest(Disabled: true), ApiJson.Options);

        Assert.Equal(HttpStatusCode.Conflict, selfDemote.StatusCode);
        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        Assert.Equal(HttpStatusCode.OK, demoteFirst.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, demoteLast.StatusCode); // yourself, and the last enabled admin
    }

    [Fact]
    public async Task BadRequests_NameTheField_NonAdminsAre403_OtherOrganizationsAre404_DuplicatesAre409()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        var other = await TestOrganization.CreateAsync(api.Host.Services);
        using var admin = api.Client(await api.LoginAsync(org.AdminEmail, org.Password));
        using var responder = api.Client(await api.LoginAsync(org.ResponderEmail, org.Password));
        var stranger = (await api.Client(await api.LoginAsync(other.AdminEmail, other.Password)).GetFromJsonAsync<List<OrgUserDto>>("api/v2/users", ApiJson.Options))!.First();

        using var badRole = await admin.PostAsJsonAsync("api/v2/users", new CreateUserRequest($"x-{Guid.NewGuid():N}@test.vigil", "X", "owner"), ApiJson.Options);
        using var badEmail = await admin.PostAsJsonAsync("api/v2/users", new CreateUserRequest("not an address", "X", "responder"), ApiJson.Options);
        using var duplicate = await admin.PostAsJsonAsync("api/v2/users", new CreateUserRequest(other.ReadOnlyEmail, "X", "responder"), ApiJson.Options);
        using var byResponder = await responder.PostAsJsonAsync("api/v2/users", new CreateUserRequest($"y-{Guid.NewGuid():N}@test.vigil", "Y", "admin"), ApiJson.Options);
        using var foreign = await admin.PatchAsJsonAsync($"api/v2/users/{stranger.Id}", new UpdateUserRequest(Disabled: true), ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Contains("role", await ErrorFieldsAsync(badRole));
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        Assert.Contains("email", await ErrorFieldsAsync(badEmail));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byResponder.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(3, (await admin.GetFromJsonAsync<List<OrgUserDto>>("api/v2/users", ApiJson.Options))!.Count);
    }

    private static async Task<HashSet<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }
}
