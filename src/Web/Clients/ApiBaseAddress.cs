using Microsoft.AspNetCore.Hosting.Server;
using Vigil.ServiceDefaults;

namespace Vigil.Web.Clients;

/// <summary>
/// Where the Api is: <c>Vigil:Web:ApiBaseUrl</c> when set (separate processes), otherwise this very
/// process (the all-in-one host), found from the addresses Kestrel bound.
/// </summary>
public sealed class ApiBaseAddress(IConfiguration configuration, IServer server)
{
    public const string ConfigKey = "Vigil:Web:ApiBaseUrl";

    public Uri Get()
    {
        var configured = configuration[ConfigKey];
        if (!string.IsNullOrWhiteSpace(configured))
            return new Uri(configured.TrimEnd('/') + "/");
        return BoundAddress.Of(server)
            ?? throw new InvalidOperationException($"Set {ConfigKey}: this process serves no Api of its own.");
    }
}
