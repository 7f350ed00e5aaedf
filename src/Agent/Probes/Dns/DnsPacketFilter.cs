namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// The classic BPF program attached to the capture socket: IPv4 or IPv6, UDP, not a fragment, source or
/// destination port one of the DNS ports; everything else stays in the kernel. The socket is SOCK_DGRAM,
/// so offsets start at the network header and the EtherType comes from the skb (any link type works).
/// </summary>
internal static class DnsPacketFilter
{
    private const ushort LdH = 0x28, LdB = 0x30, LdHInd = 0x48, LdxMsh = 0xb1, Jeq = 0x15, Jset = 0x45, Ret = 0x06;
    private const uint SkbProtocol = 0xfffff000; // SKF_AD_OFF + SKF_AD_PROTOCOL
    private const int Accept = -1, Drop = -2, Ipv6 = -3;

    public static PacketSocketNative.SockFilter[] Build(IReadOnlyList<int> ports)
    {
        // (code, k, jump-true label, jump-false label); labels: >= 0 absolute index, or Accept/Drop/Ipv6, or null = next.
        var program = new List<(ushort Code, uint K, int? True, int? False)>
        {
            (LdH, SkbProtocol, null, null),
            (Jeq, 0x0800, null, Ipv6),
            (LdB, 9, null, null),             // IPv4 protocol
            (Jeq, 17, null, Drop),
            (LdH, 6, null, null),             // flags + fragment offset
            (Jset, 0x1fff, Drop, null),
            (LdxMsh, 0, null, null),          // X = IPv4 header length
        };
        AddPortChecks(program, LdHInd, 0, ports);
        var ipv6 = program.Count;
        program.Add((Jeq, 0x86dd, null, Drop)); // A still holds the EtherType loaded by instruction 0
        program.Add((LdB, 6, null, null));    // IPv6 next header (extension headers are not followed)
        program.Add((Jeq, 17, null, Drop));
        AddPortChecks(program, LdH, 40, ports);
        var accept = program.Count;
        var drop = accept + 1;

        var filter = new PacketSocketNative.SockFilter[program.Count + 2];
        for (var i = 0; i < program.Count; i++)
        {
            var (code, k, jt, jf) = program[i];
            filter[i] = new PacketSocketNative.SockFilter
            {
                Code = code, K = k,
                JumpTrue = Offset(i, jt, ipv6, accept, drop),
                JumpFalse = Offset(i, jf, ipv6, accept, drop),
            };
        }
        filter[accept] = new PacketSocketNative.SockFilter { Code = Ret, K = 0xffff };
        filter[drop] = new PacketSocketNative.SockFilter { Code = Ret, K = 0 };
        return filter;
    }

    /// <summary>Source port then destination port against each DNS port; a match accepts, none drops.</summary>
    private static void AddPortChecks(List<(ushort Code, uint K, int? True, int? False)> program, ushort load, uint udpOffset, IReadOnlyList<int> ports)
    {
        foreach (var portOffset in new uint[] { 0, 2 })
        {
            program.Add((load, udpOffset + portOffset, null, null));
            foreach (var port in ports)
                program.Add((Jeq, (uint)port, Accept, null));
        }
        program.Add((Jeq, 0, Drop, Drop)); // unconditional drop
    }

    private static byte Offset(int index, int? label, int ipv6, int accept, int drop)
    {
        var target = label switch
        {
            null => index + 1,
            Accept => accept,
            Drop => drop,
            Ipv6 => ipv6,
            var absolute => absolute.Value,
        };
        var offset = target - index - 1;
        if (offset is < 0 or > 255)
            throw new InvalidOperationException("DNS filter jump out of range (too many ports).");
        return (byte)offset;
    }
}
