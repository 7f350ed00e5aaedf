using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Api.Features.Notifications.Routing;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Core.Query.Evaluation;
using Vigil.Core.Query.Syntax;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>
/// Notification rules: every member reads them and previews which recent signals a rule would match;
/// admins create, replace and delete them.
/// </summary>
public static class NotificationRulesEndpoints
{
    public const string Route = "/api/v2/notifications/rules";
    public const int PreviewScan = 2000;
    public const int PreviewLimit = 100;
    private static readonly string[] RuleTypes = ["threshold", "new_value", "sequence"];

    public static IEndpointRouteBuilder MapNotificationRulesEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup(Route).WithTags("Notifications").RequireAuthorization(ApiAuthentication.Policies.Read);
        read.MapGet("/", ListAsync).WithName("ListNotificationRules");
        read.MapGet("/{id:guid}", GetAsync).WithName("GetNotificationRule");
        read.MapPost("/preview", PreviewAsync).WithName("PreviewNotificationRule");

        var admin = app.MapGroup(Route).WithTags("Notifications").RequireAuthorization(ApiAuthentication.Policies.Admin);
        admin.MapPost("/", CreateAsync).WithName("CreateNotificationRule");
        admin.MapPut("/{id:guid}", ReplaceAsync).WithName("ReplaceNotificationRule");
        admin.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteNotificationRule");
        return app;
    }

    private static async Task<Ok<List<NotificationRuleDto>>> ListAsync(VigilDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.NotificationRules.AsNoTracking().OrderBy(r => r.CreatedAt).ToListAsync(ct)).Select(ToDto).ToList());

    private static async Task<Results<Ok<NotificationRuleDto>, NotFound>> GetAsync(Guid id, VigilDbContext db, CancellationToken ct) =>
        await db.NotificationRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } row ? TypedResults.Ok(ToDto(row)) : TypedResults.NotFound();

    private static async Task<Results<Created<NotificationRuleDto>, ValidationProblem>> CreateAsync(
        NotificationRuleRequest request, VigilDbContext db, CancellationToken ct)
    {
        if (await ValidateAsync(request, db, ct) is { Count: > 0 } errors)
            return TypedResults.ValidationProblem(errors, title: "The notification rule is invalid; nothing was saved.");
        var row = new NotificationRule { Name = "", MinSeverity = "" };
        Apply(row, request);
        db.NotificationRules.Add(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{Route}/{row.Id}", ToDto(row));
    }

    private static async Task<Results<Ok<NotificationRuleDto>, NotFound, ValidationProblem>> ReplaceAsync(
        Guid id, NotificationRuleRequest request, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var row = await db.NotificationRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
            return TypedResults.NotFound();
        if (await ValidateAsync(request, db, ct) is { Count: > 0 } errors)
            return TypedResults.ValidationProblem(errors, title: "The notification rule is invalid; nothing was saved.");
        Apply(row, request);
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(row));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, VigilDbContext db, CancellationToken ct) =>
        await db.NotificationRules.Where(r => r.Id == id).ExecuteDeleteAsync(ct) == 0 ? TypedResults.NotFound() : TypedResults.NoContent();

    /// <summary>The recent signals (last <c>days</c>, default 7) the rule, as given, would have matched — newest first.</summary>
    private static async Task<Results<Ok<NotificationRulePreviewDto>, ValidationProblem>> PreviewAsync(
        NotificationRuleRequest request, VigilDbContext db, TimeProvider clock, int? days, CancellationToken ct)
    {
        var errors = await ValidateAsync(request, db, ct);
        if (days is < 1 or > 30)
            errors["days"] = ["days must be between 1 and 30."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        var row = new NotificationRule { Name = "", MinSeverity = "" };
        Apply(row, request);
        var matcher = new NotificationRuleMatcher(row);
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-(days ?? 7));
        var signals = await db.Signals.AsNoTracking().Where(s => s.LastSeen >= since)
            .OrderByDescending(s => s.FirstSeen).Take(PreviewScan + 1).ToListAsync(ct);
        var types = new Dictionary<string, string>();
        var matched = new List<SignalDto>();
        foreach (var signal in signals.Take(PreviewScan))
        {
            if (!types.TryGetValue(signal.RuleId, out var type))
                types[signal.RuleId] = type = (await SignalRuleInfo.ForAsync(db, signal.RuleId, ct)).Type;
            if (matcher.Matches(signal, signal.Severity, type) && matched.Count < PreviewLimit)
                matched.Add(SignalsEndpoints.ToDto(signal));
        }
        return TypedResults.Ok(new NotificationRulePreviewDto(matched, Math.Min(signals.Count, PreviewScan), signals.Count > PreviewScan));
    }

    private static async Task<Dictionary<string, string[]>> ValidateAsync(NotificationRuleRequest request, VigilDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 300)
            errors["name"] = ["name is required (at most 300 characters)."];
        if (!SeverityNames.TryParse(request.MinSeverity, out _))
            errors["min_severity"] = ["min_severity must be info, low, medium, high or critical."];
        if (request.RuleTypes?.Any(t => !RuleTypes.Contains(t)) == true)
            errors["rule_types"] = [$"rule_types may hold: {string.Join(", ", RuleTypes)}."];
        if (request.RuleIds is { Count: > 100 } || request.RuleIds?.Any(id => id.Length is 0 or > 100) == true)
            errors["rule_ids"] = ["rule_ids may hold at most 100 ids of at most 100 characters."];
        if (request.Tags is { Count: > 50 } || request.Tags?.Any(t => t.Length is 0 or > 200) == true)
            errors["tags"] = ["tags may hold at most 50 tags of at most 200 characters."];
        if (request.Environment is { Length: > 200 })
            errors["environment"] = ["environment is at most 200 characters."];
        if (request.Query is { Length: > 8192 })
            errors["query"] = ["query is at most 8192 characters."];
        else if (!string.IsNullOrWhiteSpace(request.Query) && !QueryCompiler.TryCompile(request.Query, out _, out var diagnostics))
            errors["query"] = QueryDiagnostic.Describe(diagnostics);
        if (request.ChannelIds is not { Count: > 0 and <= 20 })
            errors["channel_ids"] = ["channel_ids must name 1 to 20 channels."];
        else
        {
            var ids = request.ChannelIds.Distinct().ToList();
            // The org filter makes another organization's channel simply unknown.
            var known = await db.NotificationChannels.Where(c => ids.Contains(c.Id)).CountAsync(ct);
            if (known != ids.Count)
                errors["channel_ids"] = ["channel_ids names a channel that does not exist in this organization."];
        }
        return errors;
    }

    private static void Apply(NotificationRule row, NotificationRuleRequest r)
    {
        row.Name = r.Name.Trim();
        row.Enabled = r.Enabled;
        row.MinSeverity = r.MinSeverity.ToLowerInvariant();
        row.RuleTypesJson = JsonSerializer.Serialize(r.RuleTypes ?? []);
        row.RuleIdsJson = JsonSerializer.Serialize(r.RuleIds ?? []);
        row.TagsJson = JsonSerializer.Serialize(r.Tags ?? []);
        row.Environment = string.IsNullOrWhiteSpace(r.Environment) ? null : r.Environment.Trim();
        row.Query = string.IsNullOrWhiteSpace(r.Query) ? null : r.Query;
        row.ChannelIdsJson = JsonSerializer.Serialize(r.ChannelIds.Distinct());
        row.RenotifyOnSeverityIncrease = r.RenotifyOnSeverityIncrease;
    }

    private static NotificationRuleDto ToDto(NotificationRule r) => new(
        r.Id, r.Name, r.Enabled, r.MinSeverity, List(r.RuleTypesJson), List(r.RuleIdsJson), List(r.TagsJson), r.Environment, r.Query,
        JsonSerializer.Deserialize<List<Guid>>(r.ChannelIdsJson) ?? [], r.RenotifyOnSeverityIncrease, r.CreatedAt.ToUtcOffset(), r.UpdatedAt.ToUtcOffset());

    private static List<string> List(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];
}
