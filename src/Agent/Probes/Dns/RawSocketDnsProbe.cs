using System.Runtime.InteropServices;
using System.Threading.Channels;
using static Vigil.Agent.Probes.Dns.PacketSocketNative;

namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// DNS queries from an AF_PACKET capture socket (needs CAP_NET_RAW): a classic BPF filter keeps UDP to or
/// from the DNS ports in the kernel, only outgoing packets are kept (loopback delivers each twice), and
/// each query becomes a <see cref="DnsQueryRecord"/> with a best-effort pid. Packets the socket dropped
/// (PACKET_STATISTICS) are counted as kernel losses; records refused by a full channel as channel drops.
/// </summary>
public sealed unsafe class RawSocketDnsProbe(DnsProbeOptions options, ChannelWriter<DnsQueryRecord> output) : IDnsCapture
{
    private const int BufferSize = 65_536;
    private readonly UdpSocketOwnerResolver _owners = new();
    private Thread? _reader;
    private volatile bool _stopping;
    private int _fd = -1;
    private long _losses, _drops, _queries;
    private string _status = "dns: raw socket not started";

    /// <summary>e.g. <c>dns: raw socket (AF_PACKET, udp ports 53; attribution: best_effort)</c> or <c>dns: unavailable: …</c>.</summary>
    public string Status => _status;
    public long KernelLosses => Interlocked.Read(ref _losses);
    public long ChannelDrops => Interlocked.Read(ref _drops);
    public long Queries => Interlocked.Read(ref _queries);

    public bool Start()
    {
        options.Validate();
        if (_fd >= 0)
            throw new InvalidOperationException("The probe is already started.");
        // Protocol 0: no packet arrives before the filter is attached; bind then turns capture on.
        _fd = Socket(AfPacket, SockDgram | SockNonBlock | SockCloseOnExec, 0);
        if (_fd < 0)
            return Unavailable($"socket(AF_PACKET) failed: {Describe(Marshal.GetLastPInvokeError())}");

        var filter = DnsPacketFilter.Build(options.Ports);
        fixed (SockFilter* instructions = filter)
        {
            var program = new SockFprog { Length = (ushort)filter.Length, Filter = instructions };
            if (SetSockOpt(_fd, SolSocket, SoAttachFilter, &program, (uint)sizeof(SockFprog)) != 0)
                return Unavailable($"SO_ATTACH_FILTER failed: {Describe(Marshal.GetLastPInvokeError())}");
        }
        var receiveBuffer = 4 * 1024 * 1024;
        _ = SetSockOpt(_fd, SolSocket, SoRcvBuf, &receiveBuffer, sizeof(int));
        var address = new SockAddrLl { Family = AfPacket, Protocol = (ushort)System.Net.IPAddress.HostToNetworkOrder((short)EthPAll) };
        if (Bind(_fd, &address, (uint)sizeof(SockAddrLl)) != 0)
            return Unavailable($"bind(AF_PACKET) failed: {Describe(Marshal.GetLastPInvokeError())}");

        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "vigil dns capture" };
        _reader.Start();
        _status = $"dns: raw socket (AF_PACKET, udp ports {string.Join(",", options.Ports)}; attribution: best_effort)";
        return true;
    }

    public void Stop()
    {
        _stopping = true;
        _reader?.Join();
        _reader = null;
        if (_fd >= 0)
            _ = Close(_fd);
        _fd = -1;
    }

    public void Dispose() => Stop();

    private bool Unavailable(string reason)
    {
        _status = $"dns: unavailable: {reason}";
        if (_fd >= 0)
            _ = Close(_fd);
        _fd = -1;
        return false;
    }

    private void ReadLoop()
    {
        var buffer = (byte*)NativeMemory.Alloc(BufferSize);
        var from = stackalloc byte[sizeof(SockAddrLl)];
        try
        {
            while (!_stopping)
            {
                if (!WaitReadable(_fd, 200))
                {
                    CountKernelDrops();
                    continue;
                }
                while (!_stopping)
                {
                    var fromLength = (uint)sizeof(SockAddrLl);
                    var read = RecvFrom(_fd, buffer, BufferSize, 0, from, &fromLength);
                    if (read <= 0)
                        break; // EAGAIN: drained
                    var link = (SockAddrLl*)from;
                    if (link->PacketType != PacketOutgoing)
                        continue;
                    Handle(new ReadOnlySpan<byte>(buffer, (int)read), link->IfIndex);
                }
                CountKernelDrops();
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    private void Handle(ReadOnlySpan<byte> packet, int ifIndex)
    {
        if (DnsPacketParser.Parse(packet) is not { } query || !options.Ports.Contains(query.DestinationPort))
            return;
        Interlocked.Increment(ref _queries);
        var pid = options.AttributePids ? _owners.Resolve(query.Source, query.SourcePort) : null;
        var record = new DnsQueryRecord(query.Id, query.Name, DnsPacketParser.TypeName(query.Type), DnsPacketParser.ClassName(query.Class),
            query.Size, query.QuestionCount, pid, "best_effort", query.Source.ToString(), query.SourcePort,
            query.Destination.ToString(), query.DestinationPort, ifIndex, DateTimeOffset.UtcNow);
        if (!output.TryWrite(record))
            Interlocked.Increment(ref _drops);
    }

    /// <summary>PACKET_STATISTICS: packets the socket's queue dropped since the last call (the kernel resets it).</summary>
    private void CountKernelDrops()
    {
        var stats = stackalloc uint[2];
        var length = 8u;
        if (GetSockOpt(_fd, SolPacket, PacketStatistics, stats, &length) == 0 && stats[1] > 0)
            Interlocked.Add(ref _losses, stats[1]);
    }

    private static string Describe(int errno) => errno switch
    {
        1 => "EPERM (needs root: CAP_NET_RAW)",
        97 => "EAFNOSUPPORT (AF_PACKET not built into this kernel)",
        _ => $"errno {errno}",
    };
}
