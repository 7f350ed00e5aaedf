using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Core.Detection;
using Vigil.Core.Query.Evaluation;
using Vigil.Core.Query.Syntax;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>
/// Suppressions: anyone reads and previews; responders and admins create, change and delete. A preview
/// says how many stored events and signals of the last days the suppression would have hidden.
/// </summary>
public static class SuppressionsEndpoints
{
    public const int MaxPreviewEvents = 20_000;

    public static IEndpointRouteBuilder MapSuppressionsEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v2/suppressions").WithTags("Suppressions").RequireAuthorization(ApiAuthentication.Policies.Read);
        read.MapGet("/", ListAsync).WithName("ListSuppressions");
        read.MapPost("/preview", PreviewAsync).WithName("PreviewSuppression");

        var write = app.MapGroup("/api/v2/suppressions").WithTags("Suppressions").RequireAuthorization(ApiAuthentication.Policies.Write);
        write.MapPost("/", CreateAsync).WithName("CreateSuppression");
        write.MapPut("/{id:guid}", ReplaceAsync).WithName("ReplaceSuppression");
        write.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteSuppression");
        return app;
    }

    private static async Task<Ok<List<SuppressionDto>>> ListAsync(VigilDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.Suppressions.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync(ct)).Select(ToDto).ToList());

    private static async Task<Results<Created<SuppressionDto>, ValidationProblem>> CreateAsync(
        SuppressionRequest request, ClaimsPrincipal caller, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await ValidateAsync(request, db, clock, ct) is { Count: > 0 } errors)
            return TypedResults.ValidationProblem(errors, title: "The suppression is invalid; nothing was saved.");
        var row = new Suppression
        {
            Name = request.Name.Trim(), Query = request.Query, Reason = request.Reason.Trim(), RuleId = request.RuleId,
            ExpiresAt = request.ExpiresAt?.UtcDateTime, Enabled = request.Enabled,
            Owner = caller.FindFirstValue(ClaimTypes.Name) ?? "unknown",
        };
        db.Suppressions.Add(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v2/suppressions/{row.Id}", ToDto(row));
    }

    private static async Task<Results<Ok<SuppressionDto>, NotFound, ValidationProblem>> ReplaceAsync(
        Guid id, SuppressionRequest request, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var row = await db.Suppressions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (row is null)
            return TypedResults.NotFound();
        if (await ValidateAsync(request, db, clock, ct) is { Count: > 0 } errors)
            return TypedResults.ValidationProblem(errors, title: "The suppression is invalid; nothing was saved.");
        row.Name = request.Name.Trim();
        row.Query = request.Query;
        row.Reason = request.Reason.Trim();
        row.RuleId = request.RuleId;
        row.ExpiresAt = request.ExpiresAt?.UtcDateTime;
        row.Enabled = request.Enabled;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(row));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, VigilDbContext db, CancellationToken ct) =>
        await db.Suppressions.Where(s => s.Id == id).ExecuteDeleteAsync(ct) == 0 ? TypedResults.NotFound() : TypedResults.NoContent();

    private static async Task<Results<Ok<SuppressionPreviewDto>, ValidationProblem>> PreviewAsync(
        SuppressionPreviewRequest request, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!QueryCompiler.TryCompile(request.Query, out var query, out var diagnostics))
            errors["query"] = QueryDiagnostic.Describe(diagnostics);
        if (request.Days is < 1 or > 30)
            errors["days"] = ["days must be between 1 and 30."];
        var rule = request.RuleId is { } ruleId ? await RuleAsync(db, ruleId, ct) : null;
        if (request.RuleId is not null && rule is null)
            errors["rule_id"] = ["rule_id is not a detection rule of this organization."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var since = clock.GetUtcNow().UtcDateTime.AddDays(-request.Days);
        var events = await db.AgentEvents.AsNoTracking().Where(e => e.Timestamp >= since)
            .OrderByDescending(e => e.Timestamp).Take(MaxPreviewEvents + 1).Select(e => new { e.Json, e.Hostname }).ToListAsync(ct);
        var truncated = events.Count > MaxPreviewEvents;
        var hidden = events.Take(MaxPreviewEvents).Count(e => Hidden(e.Json, e.Hostname, query!, rule));

        var ruleKey = rule?.Id.ToString();
        var samples = await db.Signals.AsNoTracking().Where(s => s.LastSeen >= since && (ruleKey == null || s.RuleId == ruleKey))
            .OrderByDescending(s => s.LastSeen).Take(MaxPreviewEvents).Select(s => new { s.SampleEventJson, s.Hostname }).ToListAsync(ct);
        var signalsHidden = samples.Count(s => Hidden(s.SampleEventJson, s.Hostname, query!, null));
        return TypedResults.Ok(new SuppressionPreviewDto(hidden, signalsHidden, Math.Min(events.Count, MaxPreviewEvents), truncated));
    }

    /// <summary>Host tags are rebuilt from the stored host name (the batch's other tags are not stored per event).</summary>
    private static bool Hidden(string json, string hostname, CompiledQuery suppression, CompiledDetectionRule? rule)
    {
        using var parsed = JsonDocument.Parse(json);
        var document = new JsonEventDocument(parsed.RootElement, QueryTags.Parse([$"host:{hostname}", "source:runtime-security-agent"]));
        return suppression.Matches(document) && (rule is null || rule.Queries.Any(q => q.Query.Matches(document)));
    }

    private static async Task<Dictionary<string, string[]>> ValidateAsync(
        SuppressionRequest request, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 300)
            errors["name"] = ["name is required (at most 300 characters)."];
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 2000)
            errors["reason"] = ["reason is required (at most 2000 characters): say why these events are benign."];
        if (string.IsNullOrWhiteSpace(request.Query))
            errors["query"] = ["query is required; a suppression of everything is not allowed."];
        else if (!QueryCompiler.TryCompile(request.Query, out _, out var diagnostics))
            errors["query"] = QueryDiagnostic.Describe(diagnostics);
        if (request.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
            errors["expires_at"] = ["expires_at must be in the future."];
        if (request.RuleId is { } ruleId && await RuleAsync(db, ruleId, ct) is null)
            errors["rule_id"] = ["rule_id is not a detection rule of this organization."];
        return errors;
    }

    /// <summary>A built-in rule or one of the org's rules, compiled; null when unknown.</summary>
    private static async Task<CompiledDetectionRule?> RuleAsync(VigilDbContext db, Guid id, CancellationToken ct)
    {
        if (BuiltInDetectionRules.Compiled.FirstOrDefault(r => r.Id == id) is { } builtIn)
            return builtIn;
        var row = await db.DetectionRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return row?.Compile();
    }

    private static SuppressionDto ToDto(Suppression s) => new(
        s.Id, s.Name, s.Query, s.Reason, s.RuleId, s.Owner, s.ExpiresAt is { } e ? e.ToUtcOffset() : null, s.Enabled, s.CreatedAt.ToUtcOffset());
}
