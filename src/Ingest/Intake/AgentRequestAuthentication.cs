using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Data;

namespace Vigil.Ingest.Intake;

/// <summary>Agent-facing endpoints other than the intake: the agent API key selects the organization for the request.</summary>
public static class AgentRequestAuthentication
{
    /// <summary>Null when the key is valid (the request's tenant is then set), else the problem to answer.</summary>
    public static async Task<ProblemHttpResult?> AuthenticateAsync(HttpContext context, AgentKeyResolver keys, VigilDbContext db, CancellationToken ct)
    {
        var presented = context.Request.Headers[EventIntakeEndpoints.ApiKeyHeader].ToString();
        if (string.IsNullOrEmpty(presented))
            return Problem(StatusCodes.Status401Unauthorized, "API key required", $"Send the agent API key in the {EventIntakeEndpoints.ApiKeyHeader} header.");
        var orgId = await keys.ResolveAsync(presented, ct);
        if (orgId is null)
            return Problem(StatusCodes.Status403Forbidden, "Invalid API key", "The API key is unknown or has been revoked.");
        db.Tenant.Set(orgId.Value);
        return null;
    }

    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
