using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Vigil.Api.Auth;

namespace Vigil.Api.Features.LiveSignals;

/// <summary>
/// Live signals for people signed in to the Api (session token or application key, read access at least).
/// A connection joins its own organization's group and nothing else; clients call no methods here.
/// </summary>
[Authorize(Policy = ApiAuthentication.Policies.Read)]
public sealed class SignalsHub : Hub
{
    public static string OrganizationGroup(Guid organizationId) => $"org:{organizationId:N}";

    public override async Task OnConnectedAsync()
    {
        if (!Guid.TryParse(Context.User?.FindFirstValue(ApiAuthentication.OrganizationClaim), out var organizationId))
        {
            Context.Abort();
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, OrganizationGroup(organizationId));
        await base.OnConnectedAsync();
    }
}
