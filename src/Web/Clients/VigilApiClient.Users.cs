using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Clients;

/// <summary>The organization's members: the assignee picker, and their management by admins (Settings).</summary>
public sealed partial class VigilApiClient
{
    public Task<List<OrgUserDto>> ListUsersAsync(CancellationToken ct = default) => GetAsync<List<OrgUserDto>>("api/v2/users/", ct);

    public Task<CreatedUserDto> CreateUserAsync(CreateUserRequest request, CancellationToken ct = default) =>
        SendAsync<CreatedUserDto>(HttpMethod.Post, "api/v2/users/", request, ct);

    public Task<OrgUserDto> UpdateUserAsync(Guid id, UpdateUserRequest request, CancellationToken ct = default) =>
        SendAsync<OrgUserDto>(HttpMethod.Patch, $"api/v2/users/{id}", request, ct);
}
