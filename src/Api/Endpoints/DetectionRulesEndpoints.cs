using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;
using Vigil.Core.Domain;
using Vigil.Core.Query.Evaluation;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>
/// Detection rules of the organization: anyone reads, admins create, change, enable/disable and delete.
/// A rule is validated completely before anything is saved; errors name the field and position.
/// </summary>
public static class DetectionRulesEndpoints
{
    public static IEndpointRouteBuilder MapDetectionRulesEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v2/detection-rules").WithTags("Detection rules").RequireAuthorization(ApiAuthentication.Policies.Read);
        read.MapGet("/", ListAsync).WithName("ListDetectionRules");
        read.MapGet("/{id:guid}", GetAsync).WithName("GetDetectionRule");
        read.MapPost("/validate", Validate).WithName("ValidateDetectionRule");
        read.MapPost("/test", TestAsync).WithName("TestDetectionRule");

        var admin = app.MapGroup("/api/v2/detection-rules").WithTags("Detection rules").RequireAuthorization(ApiAuthentication.Policies.Admin);
        admin.MapPost("/", CreateAsync).WithName("CreateDetectionRule");
        admin.MapPut("/{id:guid}", ReplaceAsync).WithName("ReplaceDetectionRule");
        admin.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteDetectionRule");
        admin.MapPost("/{id:guid}/enable", (Guid id, VigilDbContext db, TimeProvider clock, CancellationToken ct) => SetEnabledAsync(id, true, db, clock, ct))
            .WithName("EnableDetectionRule");
        admin.MapPost("/{id:guid}/disable", (Guid id, VigilDbContext db, TimeProvider clock, CancellationToken ct) => SetEnabledAsync(id, false, db, clock, ct))
            .WithName("DisableDetectionRule");
        admin.MapPost("/{id:guid}/clone", CloneAsync).WithName("CloneDetectionRule");
        return app;
    }

    private static async Task<Ok<List<DetectionRuleDto>>> ListAsync(VigilDbContext db, CancellationToken ct)
    {
        var rows = await db.DetectionRules.AsNoTracking().OrderBy(r => r.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(BuiltInRuleDtos.Concat(rows.Select(ToDto)).ToList());
    }

    private static async Task<Results<Ok<DetectionRuleDto>, NotFound>> GetAsync(Guid id, VigilDbContext db, CancellationToken ct)
    {
        if (BuiltInRuleDtos.FirstOrDefault(r => r.Id == id) is { } builtIn)
            return TypedResults.Ok(builtIn);
        var row = await db.DetectionRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(row));
    }

    private static Results<Ok, ValidationProblem> Validate(DetectionRuleRequest request)
    {
        var (_, errors) = DetectionRuleCompiler.Compile(request.Rule, Guid.Empty, 1, DateTime.UtcNow);
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors, title: "The rule is invalid.") : TypedResults.Ok();
    }

    public const int MaxTestEvents = 20_000;

    /// <summary>Replays the stored events of the last hours through the rule, in memory; saves nothing.</summary>
    private static async Task<Results<Ok<DetectionRuleTestResult>, ValidationProblem>> TestAsync(
        DetectionRuleTestRequest request, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (rule, errors) = DetectionRuleCompiler.Compile(request.Rule, Guid.Empty, 1, now.AddHours(-request.Hours));
        if (request.Hours is < 1 or > 168)
            errors["hours"] = ["hours must be between 1 and 168."];
        if (rule is null || errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The rule is invalid.");

        var since = now.AddHours(-request.Hours);
        var rows = await db.AgentEvents.AsNoTracking().Where(e => e.Timestamp >= since)
            .OrderByDescending(e => e.Timestamp).Take(MaxTestEvents + 1)
            .Select(e => new { e.Json, e.Hostname, e.Timestamp, e.RuleId }).ToListAsync(ct);
        var documents = new List<JsonDocument>();
        try
        {
            var events = rows.Take(MaxTestEvents).Where(r => !Core.Events.InternalRuleIds.IsInternal(r.RuleId)).Select(r =>
            {
                var json = JsonDocument.Parse(r.Json);
                documents.Add(json);
                IQueryDocument document = new JsonEventDocument(json.RootElement,
                    QueryTags.Parse([$"host:{r.Hostname}", "source:runtime-security-agent"]));
                return (document, r.Timestamp);
            }).ToList();
            var signals = DetectionReplay.Run(rule, events).Select(s => new DetectionRuleTestSignal(
                s.Title, s.GroupKey, s.Severity.ToWire(), s.EventCount, s.FirstSeen.ToUtcOffset(), s.LastSeen.ToUtcOffset())).ToList();
            return TypedResults.Ok(new DetectionRuleTestResult(Math.Min(rows.Count, MaxTestEvents), rows.Count > MaxTestEvents, signals));
        }
        finally
        {
            documents.ForEach(d => d.Dispose());
        }
    }

    private static async Task<Results<Created<DetectionRuleDto>, ValidationProblem>> CreateAsync(
        DetectionRuleRequest request, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (_, errors) = DetectionRuleCompiler.Compile(request.Rule, Guid.Empty, 1, now);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The rule is invalid; nothing was saved.");
        var row = new DetectionRule
        {
            Name = request.Rule.Name, Method = Method(request.Rule), Enabled = request.Enabled,
            DefinitionJson = JsonSerializer.Serialize(request.Rule, ApiJson.Options), CreatedAt = now, UpdatedAt = now,
        };
        db.DetectionRules.Add(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v2/detection-rules/{row.Id}", ToDto(row));
    }

    private static async Task<Results<Ok<DetectionRuleDto>, NotFound, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        Guid id, DetectionRuleRequest request, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (BuiltInRuleDtos.Any(r => r.Id == id))
            return TypedResults.Problem(title: "Built-in rule", detail: "Built-in rules cannot be edited.", statusCode: StatusCodes.Status409Conflict);
        var row = await db.DetectionRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
            return TypedResults.NotFound();
        if (row.ContentId is not null && JsonSerializer.Serialize(request.Rule, ApiJson.Options) != row.DefinitionJson)
            return TypedResults.Problem(title: "Out-of-the-box rule", statusCode: StatusCodes.Status409Conflict,
                detail: "Out-of-the-box rules are enabled, disabled or cloned, not edited: clone it (POST …/clone) and change the clone.");
        var (_, errors) = DetectionRuleCompiler.Compile(request.Rule, id, row.Version + 1, row.CreatedAt);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The rule is invalid; nothing was saved.");
        if (request.Version is { } version && version != row.Version)
            return TypedResults.Problem(title: "Conflict", detail: $"The rule changed since version {version} (now {row.Version}).", statusCode: StatusCodes.Status409Conflict);
        row.Name = request.Rule.Name;
        row.Method = Method(request.Rule);
        row.Enabled = request.Enabled;
        row.DefinitionJson = JsonSerializer.Serialize(request.Rule, ApiJson.Options);
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(title: "Conflict", detail: "Someone else changed the rule at the same time.", statusCode: StatusCodes.Status409Conflict);
        }
        return TypedResults.Ok(ToDto(row));
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteAsync(Guid id, VigilDbContext db, CancellationToken ct)
    {
        if (BuiltInRuleDtos.Any(r => r.Id == id))
            return TypedResults.Problem(title: "Built-in rule", detail: "Built-in rules cannot be deleted.", statusCode: StatusCodes.Status409Conflict);
        if (await db.DetectionRules.AnyAsync(r => r.Id == id && r.ContentId != null, ct))
            return TypedResults.Problem(title: "Out-of-the-box rule", detail: "Out-of-the-box rules cannot be deleted; disable it instead.", statusCode: StatusCodes.Status409Conflict);
        var deleted = await db.DetectionRules.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
        if (deleted == 0)
            return TypedResults.NotFound();
        await db.DetectionStates.Where(s => s.RuleId == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<DetectionRuleDto>, NotFound, ProblemHttpResult>> SetEnabledAsync(
        Guid id, bool enabled, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (BuiltInRuleDtos.Any(r => r.Id == id))
            return TypedResults.Problem(title: "Built-in rule", detail: "Built-in rules are always on.", statusCode: StatusCodes.Status409Conflict);
        var row = await db.DetectionRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
            return TypedResults.NotFound();
        row.Enabled = enabled;
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(title: "Conflict", detail: "Someone else changed the rule at the same time.", statusCode: StatusCodes.Status409Conflict);
        }
        return TypedResults.Ok(ToDto(row));
    }

    /// <summary>A custom copy of any rule (out-of-the-box, built-in or custom), enabled, to customise with PUT.</summary>
    private static async Task<Results<Created<DetectionRuleDto>, NotFound>> CloneAsync(Guid id, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (definition, origin) = BuiltInRuleDtos.FirstOrDefault(r => r.Id == id) is { } builtIn
            ? (builtIn.Rule, (string?)null)
            : await db.DetectionRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } source
                ? (source.Definition()!, source.ContentId ?? source.ClonedFrom)
                : (null, null);
        if (definition is null)
            return TypedResults.NotFound();
        var now = clock.GetUtcNow().UtcDateTime;
        var clone = definition with { Name = Truncate($"{definition.Name} (clone)", 300) };
        var row = new DetectionRule
        {
            Name = clone.Name, Method = Method(clone), DefinitionJson = JsonSerializer.Serialize(clone, ApiJson.Options),
            ClonedFrom = origin, CreatedAt = now, UpdatedAt = now,
        };
        db.DetectionRules.Add(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v2/detection-rules/{row.Id}", ToDto(row));
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private static readonly IReadOnlyList<DetectionRuleDto> BuiltInRuleDtos = BuiltInDetectionRules.All
        .Select(r => new DetectionRuleDto(r.Id, r.Definition, Enabled: true, Version: 1, BuiltIn: true, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch))
        .ToList();

    private static string Method(DetectionRuleDefinition rule) => JsonSerializer.Serialize(rule.Method, ApiJson.Options).Trim('"');

    private static DetectionRuleDto ToDto(DetectionRule row) => new(
        row.Id, row.Definition()!, row.Enabled, row.Version,
        BuiltIn: false, row.CreatedAt.ToUtcOffset(), row.UpdatedAt.ToUtcOffset(), row.ContentId, row.ClonedFrom);
}
