namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// A DNS query seen leaving this host. <see cref="Size"/> is the DNS message length in bytes,
/// <see cref="QuestionCount"/> the header's question count (the first question is the one reported).
/// <see cref="Attribution"/> says where <see cref="Pid"/> comes from: <c>exact</c> (the eBPF probe: the task that
/// queued the packet, with its <see cref="Sender"/>), or <c>best_effort</c> (the raw socket: looked up afterwards from
/// the source port, /proc/net/udp → socket inode → the process holding it; null when the socket was closed first).
/// </summary>
public sealed record DnsQueryRecord(
    ushort Id,
    string Name,
    string Type,
    string Class,
    int Size,
    int QuestionCount,
    int? Pid,
    string Attribution,
    string SourceAddress,
    int SourcePort,
    string DestinationAddress,
    int DestinationPort,
    int InterfaceIndex,
    DateTimeOffset Timestamp)
{
    /// <summary>The sending task as the kernel saw it (eBPF probe only; null for the raw socket).</summary>
    public DnsSender? Sender { get; init; }

    /// <summary>Only part of the packet was captured (longer than the copy, or not all in the skb's linear head).</summary>
    public bool Truncated { get; init; }
}

/// <summary>The task that sent a query: thread, parent, comm, credentials and cgroup at the time it was queued.</summary>
public sealed record DnsSender(int Tid, int Ppid, string Comm, Credentials Credentials, ulong CgroupId);

/// <summary>What the DNS probe captures.</summary>
public sealed record DnsProbeOptions
{
    /// <summary>UDP destination ports of DNS servers (53; a local resolver or a test may use another).</summary>
    public IReadOnlyList<int> Ports { get; init; } = [53];

    /// <summary>The eBPF DNS object; default VIGIL_DNS_BPF_OBJECT, else vigil-dns.bpf.o next to the agent.</summary>
    public string? BpfObjectPath { get; init; }

    /// <summary>Raw socket only: look up the sending process of each query (costs a /proc scan on a cache miss).</summary>
    public bool AttributePids { get; init; } = true;

    public void Validate()
    {
        if (Ports.Count is 0 or > 16 || Ports.Any(p => p is < 1 or > 65535))
            throw new ArgumentException("Ports must hold 1 to 16 ports between 1 and 65535.");
    }
}
