using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Contracts.Api;
using Vigil.Web.Auth;
using Vigil.Web.Clients;
using Vigil.Web.Components.Pages.Rules;

namespace Vigil.Web.Tests;

/// <summary>Which agent-rule controls each role is offered (the Api refuses the rest anyway).</summary>
public sealed class AgentRulesSectionTests : BunitContext
{
    private static AgentRuleDto Rule(string id, string source) => new(Guid.NewGuid(), id, source, "", "exec.file.name == \"nc\"", true, null,
        [], null, null, 1, "", DateTimeOffset.UtcNow);

    /// <summary>Answers the two reads the section makes; anything else is a test failure.</summary>
    private sealed class ListOnlyApi : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            object body = request.RequestUri!.AbsolutePath switch
            {
                "/api/v2/agent-rules/" => new List<AgentRuleDto> { Rule("web_server_spawned_shell", "ootb"), Rule("netcat_listener", "custom") },
                "/api/v2/remote-config/policy" => new PolicyRevisionDto(5, "ab", DateTimeOffset.UtcNow, 2, "a@x.test"),
                var other => throw new InvalidOperationException($"unexpected call {request.Method} {other}"),
            };
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options) });
        }
    }

    private IRenderedComponent<AgentRulesSection> RenderAs(string? role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("someone@x.test");
        if (role is not null)
            auth.SetRoles(role);
        // After the roles: bunit rebuilds the principal on SetRoles and drops claims set before it (the Api token).
        auth.SetClaims(new Claim(WebAuthentication.TokenClaim, "token"));
        Services.AddSingleton(sp => new VigilApiClient(new HttpClient(new ListOnlyApi()) { BaseAddress = new Uri("http://api.test/") },
            sp.GetRequiredService<AuthenticationStateProvider>()));
        var cut = Render<AgentRulesSection>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=agent-rule-row]").Count), TimeSpan.FromSeconds(5));
        return cut;
    }

    private static string Buttons(IRenderedComponent<AgentRulesSection> cut, string ruleId) =>
        string.Join(",", cut.Find($"[data-rule-id={ruleId}]").QuerySelectorAll("button").Select(b => b.GetAttribute("data-testid")));

    [Fact]
    public void Responder_GetsNewRule_CloneToCustomiseOnOutOfTheBox_AndEditCloneDeleteOnCustom()
    {
        var cut = RenderAs(Roles.Responder);

        Assert.Single(cut.FindAll("[data-testid=agent-rule-new]"));
        Assert.Equal("agent-rule-clone", Buttons(cut, "web_server_spawned_shell"));
        Assert.Equal("Clone to customise", cut.Find("[data-rule-id=web_server_spawned_shell] button").TextContent);
        Assert.Equal("agent-rule-edit,agent-rule-clone,agent-rule-delete", Buttons(cut, "netcat_listener"));
        Assert.Contains("version 5", cut.Find("[data-testid=policy-version]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnlyUser_GetsNoButtonToChangeRules()
    {
        var cut = RenderAs(null);

        Assert.Empty(cut.FindAll("[data-testid=agent-rule-new]"));
        Assert.Empty(cut.FindAll("[data-testid=agent-rules-table] button"));
    }

    [Fact]
    public void Delete_AsksForConfirmationInTheRowBeforeCallingTheApi()
    {
        var cut = RenderAs(Roles.Admin);

        cut.Find("[data-rule-id=netcat_listener] [data-testid=agent-rule-delete]").Click();

        Assert.Contains("Delete netcat_listener?", cut.Find("[data-testid=agent-rule-delete-confirm]").TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=agent-rule-delete-no]").Click(); // kept: no DELETE was sent (the handler would have thrown)
        Assert.Empty(cut.FindAll("[data-testid=agent-rule-delete-confirm]"));
        Assert.Equal(2, cut.FindAll("[data-testid=agent-rule-row]").Count);
    }
}
