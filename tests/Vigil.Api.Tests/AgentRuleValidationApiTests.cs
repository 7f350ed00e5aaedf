using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Vigil.Api.Features.RemoteConfig;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.Api.Tests;

/// <summary>POST /api/v2/agent-rules/validate: what the agent-rule editor calls while an expression is typed.</summary>
[Collection(ApiCollection.Name)]
public sealed class AgentRuleValidationApiTests(ApiFixture api)
{
    private async Task<(TestOrganization Org, HttpClient Responder)> OrganizationAsync()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        return (org, api.Client(await api.LoginAsync(org.ResponderEmail, org.Password)));
    }

    private static async Task<AgentRuleValidationDto> ValidateAsync(HttpClient http, string expression)
    {
        using var response = await http.PostAsJsonAsync("api/v2/agent-rules/validate", new AgentRuleValidationRequest(expression), ApiJson.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AgentRuleValidationDto>(ApiJson.Options))!;
    }

    [Fact]
    public async Task Validate_AValidExpression_HasNoErrors()
    {
        var (_, responder) = await OrganizationAsync();

        var result = await ValidateAsync(responder, "exec.file.name == \"nc\" && process.ancestors.file.name == \"nginx\"");

        Assert.True(result.Valid);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Validate_AnUnknownField_NamesItWithTheSpanOfTheField()
    {
        var (_, responder) = await OrganizationAsync();
        const string expression = "exec.file.name == \"nc\" &&\n  exec.file.colour == \"red\"";

        var result = await ValidateAsync(responder, expression);

        var error = Assert.Single(result.Errors);
        Assert.False(result.Valid);
        Assert.Contains("colour", error.Message, StringComparison.Ordinal);
        Assert.Equal((2, 3, expression.IndexOf("exec.file.colour", StringComparison.Ordinal)), (error.Line, error.Column, error.Offset));
        Assert.Equal("exec.file.colour", expression.Substring(error.Offset!.Value, error.Length!.Value));
    }

    [Fact]
    public async Task Validate_ASyntaxError_GivesItsPosition_AndSavingTheSameExpressionIsRefused()
    {
        var (_, responder) = await OrganizationAsync();
        const string expression = "exec.file.name == ";

        var result = await ValidateAsync(responder, expression);
        using var save = await responder.PostAsJsonAsync("api/v2/agent-rules", new AgentRuleRequest("broken_rule", expression), ApiJson.Options);

        var error = Assert.Single(result.Errors);
        Assert.Equal((1, 19, 18), (error.Line, error.Column, error.Offset));
        Assert.StartsWith("syntax error", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, save.StatusCode); // the same engine decides both
    }

    [Fact]
    public async Task Validate_AnExpandedFimRuleMixingEventTypes_ExplainsWhyWithoutTheCandidatesMadeUpId()
    {
        var (_, responder) = await OrganizationAsync();

        var result = await ValidateAsync(responder, "fim.write.file.path == \"/etc/passwd\" && exec.file.name == \"vi\"");

        var error = Assert.Single(result.Errors);
        Assert.False(result.Valid);
        Assert.Contains("multiple event categories", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("vigil_expression_check", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ByAReadOnlyUser_Is403()
    {
        var (org, _) = await OrganizationAsync();
        using var readOnly = api.Client(await api.LoginAsync(org.ReadOnlyEmail, org.Password));

        using var response = await readOnly.PostAsJsonAsync("api/v2/agent-rules/validate", new AgentRuleValidationRequest("exec.file.name == \"nc\""), ApiJson.Options);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData(AgentRuleChanges.MaxExpressionLength + 1)]
    [InlineData(0)]
    public async Task Validate_AnExpressionOverTheLimitOrEmpty_Is400NamingTheLimit(int length)
    {
        var (_, responder) = await OrganizationAsync();
        var expression = "exec.file.name == \"" + new string('a', Math.Max(0, length - 20)) + "\"";

        using var response = await responder.PostAsJsonAsync("api/v2/agent-rules/validate",
            new AgentRuleValidationRequest(length == 0 ? "" : expression[..length]), ApiJson.Options);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"at most {AgentRuleChanges.MaxExpressionLength} characters", problem!.Errors["expression"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ABodyFarOverTheLimit_IsRefusedWith413BeforeItIsRead()
    {
        var (_, responder) = await OrganizationAsync();
        using var body = new StringContent($"{{\"expression\":\"{new string('a', 200_000)}\"}}", System.Text.Encoding.UTF8, "application/json");

        using var response = await responder.PostAsync("api/v2/agent-rules/validate", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
