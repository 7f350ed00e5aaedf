using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Vigil.Agent.Probes.Dns;

/// <summary>A DNS query parsed from a captured IP packet.</summary>
internal sealed record ParsedDnsQuery(
    ushort Id, string Name, ushort Type, ushort Class, int Size, int QuestionCount,
    IPAddress Source, int SourcePort, IPAddress Destination, int DestinationPort);

/// <summary>
/// Parses IPv4/IPv6 + UDP + a DNS query's header and first question from untrusted bytes: every read is
/// bounds-checked, names are limited to 255 characters and 127 labels, compression pointers (not
/// expected in a query) are refused. Responses (QR set) and malformed packets give null.
/// </summary>
internal static class DnsPacketParser
{
    private const int MaxNameLength = 255;
    private const int MaxLabels = 127;

    public static ParsedDnsQuery? Parse(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 1)
            return null;
        IPAddress source, destination;
        ReadOnlySpan<byte> udp;
        switch (packet[0] >> 4)
        {
            case 4:
                var headerLength = (packet[0] & 0xf) * 4;
                if (headerLength < 20 || packet.Length < headerLength + 8 || packet[9] != 17)
                    return null;
                source = new IPAddress(packet.Slice(12, 4));
                destination = new IPAddress(packet.Slice(16, 4));
                udp = packet[headerLength..];
                break;
            case 6:
                if (packet.Length < 48 || packet[6] != 17)
                    return null;
                source = new IPAddress(packet.Slice(8, 16));
                destination = new IPAddress(packet.Slice(24, 16));
                udp = packet[40..];
                break;
            default:
                return null;
        }
        var sourcePort = BinaryPrimitives.ReadUInt16BigEndian(udp);
        var destinationPort = BinaryPrimitives.ReadUInt16BigEndian(udp[2..]);
        var udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        var dns = udp[8..Math.Clamp(udpLength, 8, udp.Length)];
        return ParseQuery(dns) is { } q
            ? new ParsedDnsQuery(q.Id, q.Name, q.Type, q.Class, dns.Length, q.Questions, source, sourcePort, destination, destinationPort)
            : null;
    }

    private static (ushort Id, string Name, ushort Type, ushort Class, int Questions)? ParseQuery(ReadOnlySpan<byte> dns)
    {
        if (dns.Length < 12)
            return null;
        var id = BinaryPrimitives.ReadUInt16BigEndian(dns);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(dns[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(dns[4..]);
        if ((flags & 0x8000) != 0 || questions == 0)
            return null; // a response, or nothing asked
        var name = new StringBuilder();
        var offset = 12;
        for (var labels = 0; ; labels++)
        {
            if (offset >= dns.Length || labels > MaxLabels)
                return null;
            var length = dns[offset++];
            if (length == 0)
                break;
            if ((length & 0xc0) != 0 || offset + length > dns.Length || name.Length + length + 1 > MaxNameLength)
                return null;
            if (name.Length > 0)
                name.Append('.');
            foreach (var c in dns.Slice(offset, length))
                name.Append(c is > 0x20 and < 0x7f ? (char)c : '?'); // names are reported, never interpreted
            offset += length;
        }
        if (offset + 4 > dns.Length)
            return null;
        var type = BinaryPrimitives.ReadUInt16BigEndian(dns[offset..]);
        var @class = BinaryPrimitives.ReadUInt16BigEndian(dns[(offset + 2)..]);
        return (id, name.Length == 0 ? "." : name.ToString(), type, @class, questions);
    }

    /// <summary>Question type as Datadog writes it (A, AAAA…), or the number.</summary>
    public static string TypeName(ushort type) => type switch
    {
        1 => "A", 2 => "NS", 5 => "CNAME", 6 => "SOA", 12 => "PTR", 13 => "HINFO", 15 => "MX", 16 => "TXT",
        28 => "AAAA", 33 => "SRV", 35 => "NAPTR", 43 => "DS", 46 => "RRSIG", 48 => "DNSKEY", 64 => "SVCB",
        65 => "HTTPS", 252 => "AXFR", 255 => "ANY", 257 => "CAA",
        _ => type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string ClassName(ushort @class) => @class switch
    {
        1 => "IN", 3 => "CH", 4 => "HS", 254 => "NONE", 255 => "ANY",
        _ => @class.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
