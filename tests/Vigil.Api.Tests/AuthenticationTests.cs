using System.Net;
using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthenticationTests(ApiFixture api)
{
    [Fact]
    public async Task Login_RightPassword_GivesATokenThatIdentifiesTheUser()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);

        var token = await api.LoginAsync(org.ResponderEmail, org.Password);
        using var http = api.Client(token);
        var me = await http.GetFromJsonAsync<CurrentUserDto>("api/v2/auth/me", ApiJson.Options);

        Assert.StartsWith("vgs_", token, StringComparison.Ordinal);
        Assert.Equal(org.ResponderEmail, me!.Email);
        Assert.Equal("Responder", me.Role);
        Assert.Equal(org.Id, me.OrganizationId);
    }

    [Fact]
    public async Task Login_WrongPasswordOrUnknownUser_Is401WithTheSameMessage()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client();

        using var wrongPassword = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest(org.AdminEmail, "nope"), ApiJson.Options);
        using var unknownUser = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest("nobody@test.vigil", "nope"), ApiJson.Options);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Equal(await DetailAsync(wrongPassword), await DetailAsync(unknownUser));
    }

    private static async Task<string?> DetailAsync(HttpResponseMessage response)
    {
        using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString();
    }

    [Fact]
    public async Task Login_EmptyFields_Is400NamingThem()
    {
        using var http = api.Client();

        using var response = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest("", ""), ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"email\"", body, StringComparison.Ordinal);
        Assert.Contains("\"password\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_MalformedJson_Is400()
    {
        using var http = api.Client();

        using var response = await http.PostAsync("api/v2/auth/login", AgentBatches.Json("{\"email\": "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("vgs_forgedforgedforgedforgedforgedforgedforged")]
    [InlineData("vgk_forgedforgedforgedforgedforgedforgedforged")]
    [InlineData("garbage")]
    public async Task Signals_WithoutAValidToken_Is401ProblemDetails(string? token)
    {
        using var http = api.Client(token);

        using var response = await http.GetAsync("api/v2/signals");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AgentApiKey_IsNotAnApiCredential()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client(org.AgentApiKey);

        using var response = await http.GetAsync("api/v2/signals");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ApplicationKeyHeader_IsAcceptedLikeDatadogs()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        using var http = api.Client();
        http.DefaultRequestHeaders.Add("DD-APPLICATION-KEY", org.ApplicationKey);

        using var response = await http.GetAsync("api/v2/signals");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Logout_RevokesTheToken()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        var token = await api.LoginAsync(org.AdminEmail, org.Password);
        using var http = api.Client(token);

        using var logout = await http.PostAsync("api/v2/auth/logout", null);
        using var after = await http.GetAsync("api/v2/signals");

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task DisabledUser_CannotLoginAndLosesOpenSessions()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        var token = await api.LoginAsync(org.ResponderEmail, org.Password);
        await using (var scope = api.Host.CreateScope(org.Id, out var db))
        {
            var user = db.Users.Single(u => u.Email == org.ResponderEmail);
            user.Disabled = true;
            await db.SaveChangesAsync();
        }
        using var http = api.Client(token);

        using var withOldToken = await http.GetAsync("api/v2/signals");
        using var login = await api.Client().PostAsJsonAsync("api/v2/auth/login", new LoginRequest(org.ResponderEmail, org.Password), ApiJson.Options);

        Assert.Equal(HttpStatusCode.Unauthorized, withOldToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }
}

/// <summary>Password guessing from one address is cut off after the configured attempts per minute.</summary>
public sealed class LoginRateLimitTests
{
    [Fact]
    public async Task Login_BeyondTheAttemptsPerMinute_Is429WithRetryAfter()
    {
        await using var host = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build,
            (await TestConfiguration.ProductionAsync()).With("Vigil:Api:LoginAttemptsPerMinute", "3")
                // Hangfire keeps process-wide state: one job server per test process (the fixture's).
                .With("Vigil:Jobs:Enabled", "false"));
        using var http = host.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest("guess@test.vigil", $"guess-{i}"), ApiJson.Options);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.NotNull(last!.Headers.RetryAfter);
        last.Dispose();
    }
}
