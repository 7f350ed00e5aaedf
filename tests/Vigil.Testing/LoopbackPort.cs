using System.Net;
using System.Net.Sockets;

namespace Vigil.Testing;

/// <summary>
/// A loopback port for a server a test starts later (e.g. an Ingest left down at first). It is taken below the
/// kernel's ephemeral range: a port from that range (what binding to port 0 gives) can be handed to any outgoing
/// connection (database, broker, HTTP) before the server binds it, which made a test fail with "address in use".
/// </summary>
public static class LoopbackPort
{
    private const int Lowest = 20000;

    public static int Free()
    {
        var (ephemeralLow, _) = EphemeralRange();
        var upper = Math.Max(Lowest + 1000, ephemeralLow);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(Lowest, upper);
            using var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }
        throw new InvalidOperationException($"no free loopback port between {Lowest} and {upper}");
    }

    private static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32768, 60999); // Linux's default
        }
    }
}
