using System.Net;
using System.Net.Sockets;

namespace Vigil.Core.Secl.Model;

/// <summary>
/// An IP address or CIDR network as a value type (128-bit, IPv4 kept in its own family) so that
/// comparisons on the hot path allocate nothing. An address is a network with a full prefix.
/// </summary>
public readonly record struct IpNetwork(UInt128 Bits, bool IsV6, int PrefixLength)
{
    public int MaxPrefix => IsV6 ? 128 : 32;

    public bool IsSingleAddress => PrefixLength == MaxPrefix;

    /// <summary>True when <paramref name="address"/> (its network part) lies inside this network.</summary>
    public bool Contains(IpNetwork address)
    {
        if (address.IsV6 != IsV6 || address.PrefixLength < PrefixLength) return false;
        if (PrefixLength == 0) return true;
        var shift = MaxPrefix - PrefixLength;
        return (address.Bits >> shift) == (Bits >> shift);
    }

    public static bool TryParse(string text, out IpNetwork value)
    {
        value = default;
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if (!isV6 && addressText.Count(c => c == '.') != 3) return false; // "10" is not an address
        var max = isV6 ? 128 : 32;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), out prefix) || prefix < 0 || prefix > max)) return false;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        UInt128 bits = 0;
        for (var i = 0; i < written; i++) bits = (bits << 8) | bytes[i];
        if (prefix < max) bits = bits >> (max - prefix) << (max - prefix); // canonical network address
        value = new IpNetwork(bits, isV6, prefix);
        return true;
    }

    public override string ToString()
    {
        var length = IsV6 ? 16 : 4;
        var bytes = new byte[length];
        var bits = Bits;
        for (var i = length - 1; i >= 0; i--) { bytes[i] = (byte)(bits & 0xFF); bits >>= 8; }
        var text = new IPAddress(bytes).ToString();
        return IsSingleAddress ? text : $"{text}/{PrefixLength}";
    }

    /// <summary>RFC 1918/6598/4193, loopback, link-local, multicast and unspecified are not public.</summary>
    public bool IsPublic()
    {
        ReadOnlySpan<string> privateRanges = IsV6
            ? ["::1/128", "::/128", "fc00::/7", "fe80::/10", "ff00::/8"]
            : ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10", "0.0.0.0/8", "224.0.0.0/4", "255.255.255.255/32"];
        foreach (var range in privateRanges)
        {
            if (TryParse(range, out var network) && network.Contains(this)) return false;
        }
        return true;
    }
}
