using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Clients;

/// <summary>The signed-in person's organization: shown in Settings, renamed by admins.</summary>
public sealed partial class VigilApiClient
{
    public Task<OrganizationDto> GetOrganizationAsync(CancellationToken ct = default) => GetAsync<OrganizationDto>("api/v2/org", ct);

    public Task<OrganizationDto> RenameOrganizationAsync(string name, CancellationToken ct = default) =>
        SendAsync<OrganizationDto>(HttpMethod.Patch, "api/v2/org", new RenameOrganizationRequest(name), ct);
}
