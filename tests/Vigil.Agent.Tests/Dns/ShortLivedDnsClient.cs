using System.Globalization;
using Vigil.Agent.Tests.Kernel;

namespace Vigil.Agent.Tests.Dns;

/// <summary>
/// A Python process (comm "vigiltest") that sends DNS queries, each from a new UDP socket closed right after sending,
/// then exits: the clients whose sender the raw socket's /proc lookup cannot find.
/// </summary>
internal static class ShortLivedDnsClient
{
    private const string Script = """
        import socket, struct, sys
        address, port, qtype, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        for i, name in enumerate(names):
            question = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
            message = struct.pack(">HHHHHH", 0x5000 + i, 0x0100, 1, 0, 0, 0) + question + struct.pack(">HH", qtype, 1)
            s = socket.socket(family, socket.SOCK_DGRAM)
            s.sendto(message, (address, port))
            s.close()
        """;

    /// <summary>Starts it: one query of <paramref name="type"/> (class IN) per name, in order.</summary>
    public static System.Diagnostics.Process Start(string address, int port, ushort type, params IEnumerable<string> names) =>
        KernelFixture.StartPython(Script, [address, port.ToString(CultureInfo.InvariantCulture), type.ToString(CultureInfo.InvariantCulture), .. names]);
}
