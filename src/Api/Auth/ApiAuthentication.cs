namespace Vigil.Api.Auth;

/// <summary>Names shared by the Api's authentication handler and its authorization policies.</summary>
public static class ApiAuthentication
{
    /// <summary>Bearer session tokens (people, via the Web) and application keys (API clients).</summary>
    public const string Scheme = "VigilApiKey";

    public const string ApplicationKeyHeader = "DD-APPLICATION-KEY";

    public const string OrganizationClaim = "vigil:org";
    public const string KindClaim = "vigil:kind";

    public static class Policies
    {
        /// <summary>Any authenticated member of the org (read-only and up).</summary>
        public const string Read = "vigil:read";
        /// <summary>Responder and admin: triage, rules.</summary>
        public const string Write = "vigil:write";
        /// <summary>Admin only: users, keys, settings.</summary>
        public const string Admin = "vigil:admin";
    }
}
