using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Api.Features.RemoteConfig;
using Vigil.Core.Contracts.Api;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>
/// The organization's agent rules (Datadog's CWS agent rules): anyone reads; responders and admins create custom
/// rules, change, enable, disable, clone and delete them; only admins change Active Protection (blocking). Every
/// change publishes a new signed policy version, or is refused with the compiler's errors.
/// </summary>
public static class AgentRulesEndpoints
{
    public static IEndpointRouteBuilder MapAgentRulesEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v2/agent-rules").WithTags("Agent rules").RequireAuthorization(ApiAuthentication.Policies.Read);
        read.MapGet("/", ListAsync).WithName("ListAgentRules");
        read.MapGet("/{ruleId}", GetAsync).WithName("GetAgentRule");

        var write = app.MapGroup("/api/v2/agent-rules").WithTags("Agent rules").RequireAuthorization(ApiAuthentication.Policies.Write);
        write.MapPost("/", CreateAsync).WithName("CreateAgentRule");
        write.MapPut("/{ruleId}", UpdateAsync).WithName("UpdateAgentRule");
        write.MapDelete("/{ruleId}", DeleteAsync).WithName("DeleteAgentRule");
        write.MapPost("/{ruleId}/enable", (string ruleId, ClaimsPrincipal caller, VigilDbContext db, AgentRuleChanges changes, TimeProvider clock, CancellationToken ct)
            => SetEnabledAsync(ruleId, true, caller, db, changes, clock, ct)).WithName("EnableAgentRule");
        write.MapPost("/{ruleId}/disable", (string ruleId, ClaimsPrincipal caller, VigilDbContext db, AgentRuleChanges changes, TimeProvider clock, CancellationToken ct)
            => SetEnabledAsync(ruleId, false, caller, db, changes, clock, ct)).WithName("DisableAgentRule");
        write.MapPost("/{ruleId}/clone", CloneAsync).WithName("CloneAgentRule");
        // Called as people type, so it is cheap to refuse early: a body a few times the longest expression (JSON escapes) at most.
        write.MapPost("/validate", Validate).WithName("ValidateAgentRuleExpression")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AgentRuleChanges.MaxExpressionLength * 8));

        var admin = app.MapGroup("/api/v2/agent-rules").WithTags("Agent rules").RequireAuthorization(ApiAuthentication.Policies.Admin);
        admin.MapPut("/{ruleId}/protection", SetProtectionAsync).WithName("SetAgentRuleProtection");
        return app;
    }

    private static async Task<Ok<List<AgentRuleDto>>> ListAsync(VigilDbContext db, CancellationToken ct)
    {
        var rows = await db.AgentRules.AsNoTracking().OrderBy(r => r.Source).ThenBy(r => r.RuleId).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(AgentRuleChanges.ToDto).ToList());
    }

    private static async Task<Results<Ok<AgentRuleDto>, NotFound>> GetAsync(string ruleId, VigilDbContext db, CancellationToken ct) =>
        await db.AgentRules.AsNoTracking().FirstOrDefaultAsync(r => r.RuleId == ruleId, ct) is { } row
            ? TypedResults.Ok(AgentRuleChanges.ToDto(row)) : TypedResults.NotFound();

    private static async Task<Results<Created<AgentRuleChangeDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        AgentRuleRequest request, ClaimsPrincipal caller, VigilDbContext db, AgentRuleChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var definition = request.Expression is { Length: > 0 and <= AgentRuleChanges.MaxExpressionLength } && AgentRuleChanges.RuleIdPattern().IsMatch(request.Id ?? "")
            ? PolicyYaml.CustomRule(request.Id!, request.Expression, request.Description, request.Tags, request.ProductTags) : null;
        var errors = changes.Validate(request.Id ?? "", request.Expression ?? "", request.Description, request.HostTags, definition);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The rule is invalid; nothing was saved.");
        if (await ConflictAsync(request.Id!, db, ct) is { } conflict)
            return conflict;
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new AgentRule
        {
            RuleId = request.Id!, Source = AgentRule.Custom, Description = request.Description ?? "", DefinitionYaml = definition!,
            Enabled = request.Enabled, HostTagsJson = AgentRuleChanges.HostTagsJson(request.HostTags), CreatedAt = now, UpdatedAt = now,
        };
        var outcome = await changes.ApplyAsync(caller, () => db.AgentRules.Add(row), ct);
        if (outcome.Invalid is { } invalid)
            return invalid;
        if (outcome.Conflict is { } failed)
            return failed;
        var revision = outcome.Revision!;
        return TypedResults.Created($"/api/v2/agent-rules/{row.RuleId}", Change(row, revision));
    }

    private static async Task<Results<Ok<AgentRuleChangeDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string ruleId, AgentRuleUpdateRequest request, ClaimsPrincipal caller, VigilDbContext db, AgentRuleChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var row = await db.AgentRules.FirstOrDefaultAsync(r => r.RuleId == ruleId, ct);
        if (row is null)
            return TypedResults.NotFound();
        if (row.Source == AgentRule.OutOfTheBox)
            return TypedResults.Problem(title: "Out-of-the-box rule", statusCode: StatusCodes.Status409Conflict,
                detail: "Out-of-the-box rules are enabled, disabled or cloned, not edited: clone it (POST …/clone) and change the clone.");
        if (request.Version is { } version && version != row.Version)
            return TypedResults.Problem(title: "Conflict", detail: $"The rule changed since version {version} (now {row.Version}).", statusCode: StatusCodes.Status409Conflict);
        var definition = request.Expression is null && request.Description is null ? row.DefinitionYaml
            : request.Expression is { Length: 0 or > AgentRuleChanges.MaxExpressionLength } ? null
            : PolicyYaml.Rewrite(row.DefinitionYaml, expression: request.Expression, description: request.Description);
        var errors = changes.Validate(null, request.Expression, request.Description, request.HostTags, definition);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The rule is invalid; nothing was saved.");
        var outcome = await changes.ApplyAsync(caller, () =>
        {
            row.DefinitionYaml = definition!;
            row.Description = request.Description ?? row.Description;
            if (request.HostTags is not null)
                row.HostTagsJson = AgentRuleChanges.HostTagsJson(request.HostTags);
            Touch(row, clock);
        }, ct);
        if (outcome.Invalid is { } invalid)
            return invalid;
        if (outcome.Conflict is { } failed)
            return failed;
        var revision = outcome.Revision!;
        return TypedResults.Ok(Change(row, revision));
    }

    private static async Task<Results<Ok<PolicyRevisionDto>, NotFound, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        string ruleId, ClaimsPrincipal caller, VigilDbContext db, AgentRuleChanges changes, CancellationToken ct)
    {
        var row = await db.AgentRules.FirstOrDefaultAsync(r => r.RuleId == ruleId, ct);
        if (row is null)
            return TypedResults.NotFound();
        if (row.Source == AgentRule.OutOfTheBox)
            return TypedResults.Problem(title: "Out-of-the-box rule", detail: "Out-of-the-box rules cannot be deleted; disable it instead.", statusCode: StatusCodes.Status409Conflict);
        var outcome = await changes.ApplyAsync(caller, () => db.AgentRules.Remove(row), ct);
        if (outcome.Invalid is { } invalid)
            return invalid;
        if (outcome.Conflict is { } failed)
            return failed;
        var revision = outcome.Revision!;
        return TypedResults.Ok(AgentRuleChanges.ToDto(revision));
    }

    private static async Task<Results<Ok<AgentRuleChangeDto>, NotFound, ValidationProblem, ProblemHttpResult>> SetEnabledAsync(
        string ruleId, bool enabled, ClaimsPrincipal caller, VigilDbContext db, AgentRuleChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var row = await db.AgentRules.FirstOrDefaultAsync(r => r.RuleId == ruleId, ct);
        if (row is null)
            return TypedResults.NotFound();
        var outcome = await changes.ApplyAsync(caller, () => { row.Enabled = enabled; Touch(row, clock); }, ct);
        if (outcome.Invalid is { } invalid)
            return invalid;
        if (outcome.Conflict is { } failed)
            return failed;
        var revision = outcome.Revision!;
        return TypedResults.Ok(Change(row, revision));
    }

    private static async Task<Results<Created<AgentRuleChangeDto>, NotFound, ValidationProblem, ProblemHttpResult>> CloneAsync(
        string ruleId, CloneRuleRequest request, ClaimsPrincipal caller, VigilDbContext db, AgentRuleChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var source = await db.AgentRules.AsNoTracking().FirstOrDefaultAsync(r => r.RuleId == ruleId, ct);
        if (source is null)
            return TypedResults.NotFound();
        var errors = changes.Validate(request.Id ?? "", null, null, null, null);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The clone is invalid; nothing was saved.");
        if (await ConflictAsync(request.Id!, db, ct) is { } conflict)
            return conflict;
        var now = clock.GetUtcNow().UtcDateTime;
        var clone = new AgentRule
        {
            RuleId = request.Id!, Source = AgentRule.Custom, Description = source.Description,
            DefinitionYaml = PolicyYaml.Rewrite(source.DefinitionYaml, id: request.Id), Enabled = true,
            HostTagsJson = source.HostTagsJson, ClonedFrom = source.ClonedFrom ?? source.RuleId, CreatedAt = now, UpdatedAt = now,
        };
        var outcome = await changes.ApplyAsync(caller, () => db.AgentRules.Add(clone), ct);
        if (outcome.Invalid is { } invalid)
            return invalid;
        if (outcome.Conflict is { } failed)
            return failed;
        var revision = outcome.Revision!;
        return TypedResults.Created($"/api/v2/agent-rules/{clone.RuleId}", Change(clone, revision));
    }

    private static async Task<Results<Ok<AgentRuleChangeDto>, NotFound, ValidationProblem, ProblemHttpResult>> SetProtectionAsync(
        string ruleId, ProtectionModeRequest request, ClaimsPrincipal caller, VigilDbContext db, AgentRuleChanges changes, TimeProvider clock, CancellationToken ct)
    {
        var row = await db.AgentRules.FirstOrDefaultAsync(r => r.RuleId == ruleId, ct);
        if (row is null)
            return TypedResults.NotFound();
        if (!row.BlockingCapable)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["mode"] = ["Only the out-of-the-box crypto-mining rules marked blocking-capable can block."] });
        if (request.Mode is not ("disabled" or "monitoring" or "blocking"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["mode"] = ["mode must be disabled, monitoring or blocking."] });
        var outcome = await changes.ApplyAsync(caller, () =>
        {
            row.Enabled = request.Mode != "disabled";
            row.Blocking = request.Mode == "blocking";
            Touch(row, clock);
        }, ct);
        if (outcome.Invalid is { } invalid)
            return invalid;
        if (outcome.Conflict is { } failed)
            return failed;
        var revision = outcome.Revision!;
        return TypedResults.Ok(Change(row, revision));
    }

    /// <summary>Compiles an expression as saving it would (same engine, same catalogue macros); stores nothing.</summary>
    private static Results<Ok<AgentRuleValidationDto>, ValidationProblem> Validate(AgentRuleValidationRequest request, PolicyPublisher publisher)
    {
        if (request.Expression is not { } expression || string.IsNullOrWhiteSpace(expression) || expression.Length > AgentRuleChanges.MaxExpressionLength)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["expression"] = [$"expression is required (at most {AgentRuleChanges.MaxExpressionLength} characters)."],
            }, title: "Nothing to validate.");
        var errors = publisher.ValidateExpression(expression);
        return TypedResults.Ok(new AgentRuleValidationDto(errors.Count == 0, errors));
    }

    private static async Task<ProblemHttpResult?> ConflictAsync(string ruleId, VigilDbContext db, CancellationToken ct)
    {
        if (await db.AgentRules.AnyAsync(r => r.RuleId == ruleId, ct))
            return TypedResults.Problem(title: "Rule id taken", detail: $"The organization already has a rule `{ruleId}`.", statusCode: StatusCodes.Status409Conflict);
        if (await db.AgentRules.CountAsync(r => r.Source == AgentRule.Custom, ct) >= AgentRuleChanges.MaxCustomRules)
            return TypedResults.Problem(title: "Too many rules", detail: $"An organization has at most {AgentRuleChanges.MaxCustomRules} custom rules.", statusCode: StatusCodes.Status409Conflict);
        return null;
    }

    private static void Touch(AgentRule row, TimeProvider clock)
    {
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
    }

    private static AgentRuleChangeDto Change(AgentRule row, PolicyRevision revision) => new(AgentRuleChanges.ToDto(row), AgentRuleChanges.ToDto(revision));
}
