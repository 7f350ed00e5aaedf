using System.Security.Claims;
using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Auth;

/// <summary>
/// The Web's own login cookie. It carries the Api session token as a claim; the cookie is encrypted and
/// signed by ASP.NET Data Protection, so the browser never sees the token in clear.
/// </summary>
public static class WebAuthentication
{
    public const string Scheme = "VigilWeb";
    public const string TokenClaim = "vigil:api_token";
    public const string OrganizationClaim = "vigil:org";
    public const string OrganizationNameClaim = "vigil:org_name";

    public static ClaimsPrincipal PrincipalFor(LoginResponse login) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, login.User.Id.ToString()),
        new Claim(ClaimTypes.Name, login.User.DisplayName),
        new Claim(ClaimTypes.Email, login.User.Email),
        new Claim(ClaimTypes.Role, login.User.Role),
        new Claim(OrganizationClaim, login.User.OrganizationId.ToString()),
        new Claim(OrganizationNameClaim, login.User.OrganizationName),
        new Claim(TokenClaim, login.Token),
    ], Scheme, ClaimTypes.Name, ClaimTypes.Role));
}
