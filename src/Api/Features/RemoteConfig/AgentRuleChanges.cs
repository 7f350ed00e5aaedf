using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.RemoteConfig;

/// <summary>
/// Applies one change to the organization's agent rules and publishes the policy that carries it, in one
/// transaction: if the resulting policy does not compile, nothing is saved and the caller gets the errors.
/// </summary>
public sealed partial class AgentRuleChanges(VigilDbContext db, PolicyPublisher publisher)
{
    public const int MaxExpressionLength = 8_192;
    public const int MaxDescriptionLength = 1_000;
    public const int MaxHostTags = 20;
    public const int MaxCustomRules = 1_000;

    [GeneratedRegex("^[a-zA-Z0-9_]{1,128}$")]
    public static partial Regex RuleIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_.:/-]{1,200}$")]
    private static partial Regex HostTagPattern();

    public async Task<ChangeOutcome> ApplyAsync(ClaimsPrincipal caller, Action change, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            change();
            await db.SaveChangesAsync(ct);
            var published = await publisher.PublishAsync(caller.FindFirstValue(ClaimTypes.Name) ?? "api", ct);
            if (published.Revision is null)
            {
                await transaction.RollbackAsync(ct);
                return new ChangeOutcome(null, TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["policy"] = [.. published.Errors] },
                    title: "The policy would not compile with this change; nothing was saved."), null);
            }
            await transaction.CommitAsync(ct);
            return new ChangeOutcome(published.Revision, null, null);
        }
        catch (DbUpdateException)
        {
            // A concurrent change took the same rule version or policy version: nothing of this one was saved.
            return new ChangeOutcome(null, null, TypedResults.Problem(title: "Conflict", detail: "The rules changed at the same time; retry.",
                statusCode: StatusCodes.Status409Conflict));
        }
    }

    /// <summary>Field errors of a candidate rule: its id, scope, sizes, and the SECL compiler's own message with its position.</summary>
    public Dictionary<string, string[]> Validate(string? id, string? expression, string? description, IReadOnlyList<string>? hostTags, string? definitionYaml)
    {
        var errors = new Dictionary<string, string[]>();
        if (id is not null && !RuleIdPattern().IsMatch(id))
            errors["id"] = ["id must be 1 to 128 letters, digits or underscores."];
        if (expression is not null && (string.IsNullOrWhiteSpace(expression) || expression.Length > MaxExpressionLength))
            errors["expression"] = [$"expression is required (at most {MaxExpressionLength} characters)."];
        if (description is { Length: > MaxDescriptionLength })
            errors["description"] = [$"description must be at most {MaxDescriptionLength} characters."];
        if (hostTags is not null && (hostTags.Count > MaxHostTags || hostTags.Any(t => t is null || !HostTagPattern().IsMatch(t))))
            errors["host_tags"] = [$"host_tags takes up to {MaxHostTags} tags such as env:prod (letters, digits, _ . : / -)."];
        if (errors.Count == 0 && definitionYaml is not null)
        {
            var compileErrors = publisher.ValidateRule(definitionYaml);
            if (compileErrors.Count > 0)
                errors["expression"] = [.. compileErrors];
        }
        return errors;
    }

    public static string? HostTagsJson(IReadOnlyList<string>? tags) =>
        tags is { Count: > 0 } ? JsonSerializer.Serialize(tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), ApiJson.Options) : null;

    public static string? Protection(AgentRule rule) =>
        !rule.BlockingCapable ? null : !rule.Enabled ? "disabled" : rule.Blocking ? "blocking" : "monitoring";

    public static AgentRuleDto ToDto(AgentRule rule) => new(
        rule.Id, rule.RuleId, rule.Source, rule.Description, PolicyYaml.Field(rule.DefinitionYaml, "expression") ?? "", rule.Enabled,
        Protection(rule), PolicyPublisher.HostTags(rule.HostTagsJson), rule.ClonedFrom, rule.ContentVersion, rule.Version,
        rule.DefinitionYaml, rule.UpdatedAt.ToUtcOffset());

    public static PolicyRevisionDto ToDto(PolicyRevision revision) =>
        new(revision.Version, revision.Sha256, revision.CreatedAt.ToUtcOffset(), revision.RuleCount, revision.PublishedBy);
}

/// <summary>A published revision, or why the change was refused (invalid policy, concurrent change).</summary>
public sealed record ChangeOutcome(PolicyRevision? Revision, ValidationProblem? Invalid, ProblemHttpResult? Conflict);
