using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Core.RemoteConfig;
using Vigil.Data;
using Vigil.Data.Entities;
using Vigil.Ingest.Intake;
using static Vigil.Ingest.Intake.AgentRequestAuthentication;

namespace Vigil.Ingest.RemoteConfig;

/// <summary>
/// Remote configuration for agents, authenticated by the agent API key like the event intake: the org's
/// current signed policy (conditional with If-None-Match, long-polled with <c>?wait=</c>), the public key to pin
/// at enrolment, and the agent's status report. The Ingest only serves what the Api signed; it holds no key.
/// </summary>
public static class AgentPolicyEndpoints
{
    public const string PolicyRoute = "/api/v2/agent/policy";
    public const int MaxWaitSeconds = 60;
    public const int MaxStatusBytes = 256 * 1024;
    public const int MaxReportedErrors = 1_000;
    public const int MaxErrorLength = 1_000;
    /// <summary>How often a long poll looks for a new version (one indexed single-row query per waiting agent).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static IEndpointRouteBuilder MapAgentPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PolicyRoute).WithTags("Agent remote configuration").DisableAntiforgery();
        group.MapGet("/", GetPolicyAsync).WithName("GetAgentPolicy");
        group.MapGet("/public-key", GetPublicKeyAsync).WithName("GetAgentPolicyPublicKey");
        group.MapPost("/status", PostStatusAsync).WithName("PostAgentPolicyStatus");
        return app;
    }

    public static string ETag(int version, string sha256) => $"\"v{version}-{sha256[..16]}\"";

    internal static async Task<Results<Ok<SignedPolicyDto>, StatusCodeHttpResult, ProblemHttpResult>> GetPolicyAsync(
        HttpContext context, int? wait, AgentKeyResolver keys, VigilDbContext db, CancellationToken ct)
    {
        if (await AuthenticateAsync(context, keys, db, ct) is { } denied)
            return denied;
        if (wait is < 0 or > MaxWaitSeconds)
            return Problem(StatusCodes.Status400BadRequest, "Invalid wait", $"wait is a number of seconds from 0 to {MaxWaitSeconds}.");
        var known = context.Request.Headers.IfNoneMatch.ToString();
        var deadline = DateTime.UtcNow.AddSeconds(wait ?? 0);
        while (true)
        {
            var latest = await db.PolicyRevisions.AsNoTracking().OrderByDescending(r => r.Version)
                .Select(r => new { r.Version, r.Sha256 }).FirstOrDefaultAsync(ct);
            if (latest is null)
                return Problem(StatusCodes.Status404NotFound, "No policy", "The organization has no published policy yet.");
            var etag = ETag(latest.Version, latest.Sha256);
            context.Response.Headers.CacheControl = "no-store";
            if (etag != known)
            {
                var revision = await db.PolicyRevisions.AsNoTracking().SingleAsync(r => r.Version == latest.Version, ct);
                context.Response.Headers.ETag = etag;
                return TypedResults.Ok(new SignedPolicyDto(revision.Version, revision.Sha256,
                    Convert.ToBase64String(Encoding.UTF8.GetBytes(revision.PayloadJson)), revision.Signature, revision.SigningKeyId));
            }
            if (DateTime.UtcNow >= deadline)
            {
                context.Response.Headers.ETag = etag;
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }
            await Task.Delay(PollInterval, ct);
        }
    }

    internal static async Task<Results<Ok<PolicyPublicKeyDto>, ProblemHttpResult>> GetPublicKeyAsync(
        HttpContext context, AgentKeyResolver keys, VigilDbContext db, CancellationToken ct)
    {
        if (await AuthenticateAsync(context, keys, db, ct) is { } denied)
            return denied;
        var key = await db.PolicySigningKeys.AsNoTracking().FirstOrDefaultAsync(ct);
        return key is null
            ? Problem(StatusCodes.Status404NotFound, "No signing key", "The organization has not published a policy yet.")
            : TypedResults.Ok(new PolicyPublicKeyDto(key.Id, "ed25519", key.PublicKey));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> PostStatusAsync(
        HttpContext context, AgentKeyResolver keys, VigilDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await AuthenticateAsync(context, keys, db, ct) is { } denied)
            return denied;
        if (context.Request.ContentLength is > MaxStatusBytes)
            return Problem(StatusCodes.Status413PayloadTooLarge, "Report too large", $"A status report is at most {MaxStatusBytes} bytes.");
        PolicyStatusReport? report;
        try
        {
            using var limited = new MemoryStream();
            await context.Request.Body.CopyToAsync(limited, ct);
            if (limited.Length > MaxStatusBytes)
                return Problem(StatusCodes.Status413PayloadTooLarge, "Report too large", $"A status report is at most {MaxStatusBytes} bytes.");
            report = JsonSerializer.Deserialize<PolicyStatusReport>(limited.ToArray(), ApiJson.Options);
        }
        catch (JsonException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [e.Message] }, title: "The report is not valid JSON.");
        }
        if (report is null || string.IsNullOrWhiteSpace(report.Hostname) || report.Hostname.Length > 255)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["hostname"] = ["hostname is required (at most 255 characters)."] });

        var errors = (report.LoadErrors ?? []).Take(MaxReportedErrors)
            .Select(e => new AgentPolicyLoadError(Cut(e.RuleId, 128), Cut(e.Message, MaxErrorLength))).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        for (var attempt = 0; ; attempt++)
        {
            var host = await db.AgentHosts.FirstOrDefaultAsync(h => h.Hostname == report.Hostname, ct);
            if (host is null)
                db.AgentHosts.Add(host = new AgentHost { Hostname = report.Hostname, FirstSeen = now, LastSeen = now });
            host.PolicyVersion = report.RunningVersion;
            host.PolicySha256 = report.RunningSha256 is { Length: 64 } sha ? sha : null;
            host.PolicyLoadErrorsJson = JsonSerializer.Serialize(errors, ApiJson.Options);
            host.PolicyRefusal = report.Refusal is null ? null : Cut(report.Refusal, 2000);
            host.PolicyReportedAt = now;
            try
            {
                await db.SaveChangesAsync(ct);
                return TypedResults.NoContent();
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // The batch consumer created the host row at the same moment: update that one.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static string Cut(string? text, int length) => text is null ? "" : text.Length <= length ? text : text[..length];
}
