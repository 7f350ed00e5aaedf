using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Vigil.ServiceDefaults;

/// <summary>The address this process answers on, as a browser or a client on this machine should use it.</summary>
public static class BoundAddress
{
    /// <summary>The first bound address (http preferred), wildcards turned into loopback; null before start.</summary>
    public static Uri? Of(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderBy(a => a.StartsWith("https", StringComparison.Ordinal) ? 1 : 0)
            .FirstOrDefault();
        if (address is null)
            return null;
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
            uri.Host = "127.0.0.1";
        return new Uri(uri.Uri.GetLeftPart(UriPartial.Authority) + "/");
    }
}
