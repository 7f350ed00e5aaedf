using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Api.Features.RemoteConfig;
using Vigil.Core.Contracts.Api;
using Vigil.Core.RemoteConfig;
using Vigil.Data;

namespace Vigil.Api.Endpoints;

/// <summary>
/// The organization's published policy as people see it: the current version and its hash, the signed bundle,
/// and the public key to pin on agents out of band (compare it with what <c>vigil-agent enroll</c> printed).
/// </summary>
public static class RemoteConfigEndpoints
{
    public static IEndpointRouteBuilder MapRemoteConfigEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v2/remote-config").WithTags("Remote configuration").RequireAuthorization(ApiAuthentication.Policies.Read);
        read.MapGet("/policy", CurrentAsync).WithName("GetCurrentPolicy");
        read.MapGet("/policy/download", DownloadAsync).WithName("DownloadSignedPolicy");
        read.MapGet("/public-key", PublicKeyAsync).WithName("GetPolicyPublicKey");
        return app;
    }

    private static async Task<Results<Ok<PolicyRevisionDto>, NotFound>> CurrentAsync(VigilDbContext db, CancellationToken ct) =>
        await db.PolicyRevisions.AsNoTracking().OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct) is { } revision
            ? TypedResults.Ok(AgentRuleChanges.ToDto(revision)) : TypedResults.NotFound();

    private static async Task<Results<Ok<SignedPolicyDto>, NotFound>> DownloadAsync(VigilDbContext db, CancellationToken ct) =>
        await db.PolicyRevisions.AsNoTracking().OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct) is { } r
            ? TypedResults.Ok(new SignedPolicyDto(r.Version, r.Sha256, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(r.PayloadJson)), r.Signature, r.SigningKeyId))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<PolicyPublicKeyDto>, NotFound>> PublicKeyAsync(VigilDbContext db, CancellationToken ct) =>
        await db.PolicySigningKeys.AsNoTracking().FirstOrDefaultAsync(ct) is { } key
            ? TypedResults.Ok(new PolicyPublicKeyDto(key.Id, "ed25519", key.PublicKey)) : TypedResults.NotFound();
}
