using System.Net;
using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Ingest;
using Vigil.Testing;

namespace Vigil.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class KeysApiTests(ApiFixture api)
{
    [Fact]
    public async Task NonAdmins_CannotManageKeys()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        foreach (var email in new[] { org.ReadOnlyEmail, org.ResponderEmail })
        {
            using var http = api.Client(await api.LoginAsync(email, org.Password));

            using var list = await http.GetAsync("api/v2/api-keys");
            using var create = await http.PostAsJsonAsync("api/v2/api-keys", new CreateKeyRequest("x"), ApiJson.Options);

            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        }
    }

    [Fact]
    public async Task AdminCreatesAgentKey_ShownOnceHashedAtRest_AndRevocationShutsTheIntake()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client(await api.LoginAsync(org.AdminEmail, org.Password));
        await using var ingest = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());
        using var intake = ingest.CreateClient();

        using var created = await http.PostAsJsonAsync("api/v2/api-keys", new CreateKeyRequest("web fleet"), ApiJson.Options);
        var key = await created.Content.ReadFromJsonAsync<CreatedKeyDto>(ApiJson.Options);
        var listed = await http.GetFromJsonAsync<List<KeyDto>>("api/v2/api-keys", ApiJson.Options);
        using var posted = await intake.SendAsync(AgentBatches.IntakeRequest(key!.Secret,
            AgentBatches.Batch("with-new-key", "h", AgentBatches.ExecEvent("r"))));
        using var revoke = await http.DeleteAsync($"api/v2/api-keys/{key.Key.Id}");
        using var afterRevoke = await intake.SendAsync(AgentBatches.IntakeRequest(key.Secret,
            AgentBatches.Batch("after-revoke", "h", AgentBatches.ExecEvent("r"))));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("vga_", key.Secret, StringComparison.Ordinal);
        Assert.Contains(listed!, k => k.Id == key.Key.Id && k.Name == "web fleet");
        Assert.DoesNotContain(key.Secret, await (await http.GetAsync("api/v2/api-keys")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var scope = api.Host.CreateScope(org.Id, out var db))
            Assert.DoesNotContain(db.ApiKeys, k => k.KeyHash == key.Secret || k.Hint == key.Secret);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task ApplicationKey_CarriesItsRole()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var admin = api.Client(await api.LoginAsync(org.AdminEmail, org.Password));

        using var created = await admin.PostAsJsonAsync("api/v2/application-keys", new CreateKeyRequest("ci", "read_only"), ApiJson.Options);
        var key = await created.Content.ReadFromJsonAsync<CreatedKeyDto>(ApiJson.Options);
        using var asKey = api.Client(key!.Secret);
        using var read = await asKey.GetAsync("api/v2/signals");
        using var manage = await asKey.GetAsync("api/v2/application-keys");

        Assert.Equal("read_only", key.Key.Role);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, manage.StatusCode);
    }

    [Theory]
    [InlineData("", "read_only", "name")]
    [InlineData("ok", "superuser", "role")]
    [InlineData("ok", null, "role")]
    public async Task CreateApplicationKey_BadRequest_Is400NamingTheField(string name, string? role, string field)
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var admin = api.Client(await api.LoginAsync(org.AdminEmail, org.Password));

        using var response = await admin.PostAsJsonAsync("api/v2/application-keys", new CreateKeyRequest(name, role), ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokingAnotherOrganizationsKey_Is404()
    {
        var orgA = await TestOrganization.CreateAsync(api.Host.Services);
        var orgB = await TestOrganization.CreateAsync(api.Host.Services);
        using var adminA = api.Client(await api.LoginAsync(orgA.AdminEmail, orgA.Password));
        using var adminB = api.Client(await api.LoginAsync(orgB.AdminEmail, orgB.Password));
        var keyOfA = (await adminA.GetFromJsonAsync<List<KeyDto>>("api/v2/api-keys", ApiJson.Options))![0];

        using var response = await adminB.DeleteAsync($"api/v2/api-keys/{keyOfA.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null((await adminA.GetFromJsonAsync<List<KeyDto>>("api/v2/api-keys", ApiJson.Options))![0].RevokedAt);
    }
}
