using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>The organization's agent inventory, most recently seen first, with each agent's remote-configuration status.</summary>
public static class AgentsEndpoints
{
    public const int MaxAgents = 5_000;

    public static IEndpointRouteBuilder MapAgentsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v2/agents", ListAsync).WithTags("Agents").WithName("ListAgents").RequireAuthorization(ApiAuthentication.Policies.Read);
        return app;
    }

    private static async Task<Ok<List<AgentHostDto>>> ListAsync(VigilDbContext db, CancellationToken ct)
    {
        var hosts = await db.AgentHosts.AsNoTracking().OrderByDescending(h => h.LastSeen).Take(MaxAgents).ToListAsync(ct);
        return TypedResults.Ok(hosts.Select(h => new AgentHostDto(h.Hostname, h.AgentVersion, h.FirstSeen.ToUtcOffset(), h.LastSeen.ToUtcOffset(),
            h.PolicyVersion, h.PolicySha256, LoadErrors(h.PolicyLoadErrorsJson), h.PolicyRefusal, h.PolicyReportedAt?.ToUtcOffset(), Health(h))).ToList());
    }

    /// <summary>Null until the agent sent a heartbeat with counters or probe status (older agents, batches only).</summary>
    private static AgentHealthDto? Health(AgentHost h) =>
        h.ProbesJson is null && h.StatsReportedAt is null
            ? null
            : new AgentHealthDto(
                h.ProbesJson is null ? [] : JsonSerializer.Deserialize<List<AgentProbeDto>>(h.ProbesJson, ApiJson.Options) ?? [],
                h.StatsReportedAt?.ToUtcOffset(), h.EventsPerSecond, h.EventsSeen, h.EventsMatched, h.EventsSent,
                h.EventsDropped, h.EventsDroppedLastInterval);

    private static List<AgentPolicyLoadError>? LoadErrors(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<List<AgentPolicyLoadError>>(json, ApiJson.Options);
}
