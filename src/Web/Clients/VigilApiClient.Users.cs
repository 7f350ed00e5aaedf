using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Clients;

/// <summary>The organization's members, for the assignee picker.</summary>
public sealed partial class VigilApiClient
{
    public Task<List<OrgUserDto>> ListUsersAsync(CancellationToken ct = default) => GetAsync<List<OrgUserDto>>("api/v2/users/", ct);
}
