using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Auth;
using Vigil.Api.Features.Organizations;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Endpoints;

/// <summary>
/// The caller's own organization: every member reads it, admins rename it. The query filter scopes
/// <c>Organizations</c> to the caller's org, so there is no id in the path to get wrong.
/// </summary>
public static class OrganizationEndpoints
{
    public static IEndpointRouteBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v2/org", GetAsync).WithTags("Organization").WithName("GetOrganization")
            .RequireAuthorization(ApiAuthentication.Policies.Read);
        app.MapPatch("/api/v2/org", RenameAsync).WithTags("Organization").WithName("RenameOrganization")
            .RequireAuthorization(ApiAuthentication.Policies.Admin);
        return app;
    }

    private static async Task<Ok<OrganizationDto>> GetAsync(VigilDbContext db, CancellationToken ct) =>
        TypedResults.Ok(Dto(await db.Organizations.AsNoTracking().SingleAsync(ct)));

    private static async Task<Results<Ok<OrganizationDto>, ValidationProblem>> RenameAsync(
        RenameOrganizationRequest request, VigilDbContext db, CancellationToken ct)
    {
        var (name, error) = OrganizationName.Validate(request.Name);
        if (name is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [error!] }, title: "The organization was not renamed.");
        var org = await db.Organizations.SingleAsync(ct);
        org.Name = name;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(Dto(org));
    }

    private static OrganizationDto Dto(Organization org) => new(org.Id, org.Name, org.CreatedAt.ToUtcOffset());
}
