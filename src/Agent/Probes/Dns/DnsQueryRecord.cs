namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// A DNS query seen leaving this host. <see cref="Size"/> is the DNS message length in bytes,
/// <see cref="QuestionCount"/> the header's question count (the first question is the one reported).
/// <see cref="Pid"/> is found afterwards from the source port (/proc/net/udp → socket inode → the process
/// holding it), so it is <see cref="Attribution"/> <c>best_effort</c>: null when the socket was closed first.
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
    DateTimeOffset Timestamp);

/// <summary>What the DNS probe captures.</summary>
public sealed record DnsProbeOptions
{
    /// <summary>UDP destination ports of DNS servers (53; a local resolver or a test may use another).</summary>
    public IReadOnlyList<int> Ports { get; init; } = [53];

    /// <summary>Look up the sending process of each query (costs a /proc scan on a cache miss).</summary>
    public bool AttributePids { get; init; } = true;

    public void Validate()
    {
        if (Ports.Count is 0 or > 16 || Ports.Any(p => p is < 1 or > 65535))
            throw new ArgumentException("Ports must hold 1 to 16 ports between 1 and 65535.");
    }
}
