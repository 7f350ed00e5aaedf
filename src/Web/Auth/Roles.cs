using System.Security.Claims;

namespace Vigil.Web.Auth;

/// <summary>What the UI offers a role. The Api enforces the same roles; hiding a button is only courtesy.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Responder = "Responder";

    public static bool CanTriage(ClaimsPrincipal user) => user.IsInRole(Admin) || user.IsInRole(Responder);

    public static bool CanAdminister(ClaimsPrincipal user) => user.IsInRole(Admin);

    public static Guid? UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
