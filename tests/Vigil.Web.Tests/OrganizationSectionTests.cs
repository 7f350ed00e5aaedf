using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Contracts.Api;
using Vigil.Web.Auth;
using Vigil.Web.Clients;
using Vigil.Web.Components.Pages.Settings;

namespace Vigil.Web.Tests;

/// <summary>
/// The Settings page's Organization section through the real <see cref="VigilApiClient"/>, with an HTTP handler
/// answering as the Api does (its 400 ProblemDetails included).
/// </summary>
public sealed class OrganizationSectionTests : BunitContext
{
    private static readonly OrganizationDto Org = new(Guid.Parse("0190a5b2-0000-7000-8000-0000000000aa"), "Acme", new(2026, 11, 1, 8, 30, 0, TimeSpan.Zero));
    private readonly FakeOrgApi _api = new(Org);

    public OrganizationSectionTests()
    {
        AddAuthorization().SetAuthorized("admin").SetClaims(new Claim(WebAuthentication.TokenClaim, "session-token"));
        Services.AddSingleton(sp => new VigilApiClient(new HttpClient(_api) { BaseAddress = new Uri("http://api.test/") },
            sp.GetRequiredService<AuthenticationStateProvider>()));
    }

    [Fact]
    public void Render_ShowsNameIdAndCreatedDate()
    {
        var cut = Render<OrganizationSection>(ps => ps.Add(p => p.CanRename, false));

        cut.WaitForAssertion(() => Assert.Equal("Acme", cut.Find("[data-testid=org-name]").TextContent));
        Assert.Equal(Org.Id.ToString(), cut.Find("[data-testid=org-id]").TextContent);
        Assert.Equal("2026-11-01 08:30:00", cut.Find("[data-testid=org-created]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=org-rename]")); // not an admin: nothing to change
    }

    [Fact]
    public void Rename_AsAdmin_SendsTheNameAndShowsTheStoredOne()
    {
        var cut = Render<OrganizationSection>(ps => ps.Add(p => p.CanRename, true));
        cut.WaitForElement("[data-testid=org-name-input]");

        cut.Find("[data-testid=org-name-input]").Input("Acme Security");
        cut.Find("[data-testid=org-rename]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Acme Security", cut.Find("[data-testid=org-name]").TextContent));
        Assert.Equal("Bearer session-token", _api.LastAuthorization);
        Assert.Equal("{\"name\":\"Acme Security\"}", _api.LastPatchBody);
        Assert.Contains("next login", cut.Find("[data-testid=org-renamed]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Rename_RefusedByTheApi_ShowsTheReasonUnderTheFieldAndKeepsTheName()
    {
        var cut = Render<OrganizationSection>(ps => ps.Add(p => p.CanRename, true));
        cut.WaitForElement("[data-testid=org-name-input]");

        cut.Find("[data-testid=org-name-input]").Input("tab\there");
        cut.Find("[data-testid=org-rename]").Click();

        cut.WaitForAssertion(() => Assert.Equal("The name must not contain control characters (line breaks, tabs).",
            cut.Find("[data-testid=error-name]").TextContent));
        Assert.Equal("Acme", cut.Find("[data-testid=org-name]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=org-renamed]"));
    }

    /// <summary>GET and PATCH /api/v2/org as the Api answers them; a name with a control character is refused.</summary>
    private sealed class FakeOrgApi(OrganizationDto org) : HttpMessageHandler
    {
        private OrganizationDto _org = org;
        public string? LastAuthorization { get; private set; }
        public string? LastPatchBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            LastAuthorization = request.Headers.Authorization?.ToString();
            if (request.RequestUri!.AbsolutePath != "/api/v2/org")
                return new HttpResponseMessage(HttpStatusCode.NotFound);
            if (request.Method == HttpMethod.Patch)
            {
                LastPatchBody = await request.Content!.ReadAsStringAsync(ct);
                var name = JsonSerializer.Deserialize<RenameOrganizationRequest>(LastPatchBody, ApiJson.Options)!.Name!;
                if (name.Any(char.IsControl))
                    return Json(HttpStatusCode.BadRequest, "{\"title\":\"The organization was not renamed.\",\"status\":400," +
                        "\"errors\":{\"name\":[\"The name must not contain control characters (line breaks, tabs).\"]}}", "application/problem+json");
                _org = _org with { Name = name };
            }
            return Json(HttpStatusCode.OK, JsonSerializer.Serialize(_org, ApiJson.Options));
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body, string type = "application/json") =>
            new(status) { Content = new StringContent(body, Encoding.UTF8, type) };
    }
}
