using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Vigil.Agent.Interop;
using Vigil.Agent.Probes.Ebpf;

namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// DNS queries with their exact sender: loads Bpf/dns.bpf.c (vigil-dns.bpf.o), whose <c>tp_btf/net_dev_queue</c> program
/// runs in the sending task's context for locally generated UDP and copies packets to the DNS ports into its own ring
/// buffer. Each packet is parsed by <see cref="DnsPacketParser"/> (the raw socket's parser, so the fields are the same)
/// and becomes a <see cref="DnsQueryRecord"/> with <c>exact</c> attribution and the task from the record's header.
/// Failed ring-buffer reserves are kernel losses; records refused by a full channel, channel drops.
/// </summary>
public sealed unsafe class EbpfDnsProbe(DnsProbeOptions options, ChannelWriter<DnsQueryRecord> output) : IDnsCapture
{
    private const int DnsRecord = 5, RecordSize = EbpfRecordReader.HeaderSize + 16 + PacketMax, PacketMax = 512;
    private const int MaxPorts = 16;
    private const uint Cut = 1, NonLinear = 2; // vigil_dns.flags
    private nint _object, _link, _ring;
    private int _dropsFd = -1;
    private GCHandle _self;
    private Thread? _reader;
    private volatile bool _stopping;
    private long _drops, _queries, _bootToWall, _releasedLosses;
    private string _status = "dns: eBPF not started";

    /// <summary>Where the object is looked for: VIGIL_DNS_BPF_OBJECT, else next to the agent.</summary>
    public static string DefaultObjectPath =>
        Environment.GetEnvironmentVariable("VIGIL_DNS_BPF_OBJECT") ?? Path.Combine(AppContext.BaseDirectory, "vigil-dns.bpf.o");

    public string Status => _status;

    public long KernelLosses
    {
        get
        {
            if (_dropsFd < 0) return Interlocked.Read(ref _releasedLosses);
            uint key = 0;
            ulong value = 0;
            return Libbpf.MapLookupElem(_dropsFd, &key, &value) == 0 ? (long)value : 0;
        }
    }

    public long ChannelDrops => Interlocked.Read(ref _drops);

    public long Queries => Interlocked.Read(ref _queries);

    public bool Start()
    {
        options.Validate();
        if (_object != 0)
            throw new InvalidOperationException("The probe is already started.");
        try
        {
            if (Load() is { } error)
                return Unavailable(error);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Unavailable($"libbpf.so.1 is not installed ({e.Message})");
        }
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "vigil dns ebpf" };
        _reader.Start();
        _status = $"dns: eBPF (tp_btf/net_dev_queue, udp ports {string.Join(",", options.Ports)}; attribution: exact)";
        return true;
    }

    private string? Load()
    {
        var path = options.BpfObjectPath ?? DefaultObjectPath;
        if (!File.Exists(path)) return $"BPF object {path} not found (built by Bpf/build-bpf.sh)";
        _ = Libbpf.SetPrint(0); // libbpf's stderr chatter; failures are reported here
        _object = Libbpf.ObjectOpenFile(path, 0);
        if (_object == 0) return $"cannot open BPF object {path} (errno {Marshal.GetLastPInvokeError()})";
        var loaded = Libbpf.ObjectLoad(_object);
        if (loaded != 0) return $"the kernel refused the DNS program (error {-loaded}; needs root with CAP_BPF/CAP_PERFMON, BTF and tp_btf)";
        if (FillPorts() is { } portsError) return portsError;
        var program = Libbpf.NextProgram(_object, 0);
        _link = program == 0 ? 0 : Libbpf.ProgramAttach(program);
        if (_link == 0) return $"attaching tp_btf/net_dev_queue failed (errno {Marshal.GetLastPInvokeError()})";
        _dropsFd = Libbpf.FindMapFdByName(_object, "dns_drops");
        _self = GCHandle.Alloc(this);
        _ring = Libbpf.RingBufferNew(Libbpf.FindMapFdByName(_object, "dns_events"), &OnRecord, GCHandle.ToIntPtr(_self), 0);
        if (_ring == 0) return $"cannot open the ring buffer (errno {Marshal.GetLastPInvokeError()})";
        _bootToWall = Libc.Now(Libc.CLOCK_REALTIME) - Libc.Now(Libc.CLOCK_BOOTTIME);
        return null;
    }

    /// <summary>The ports go into the program's one-entry array (struct vigil_dns_ports, host order, 0 = unused).</summary>
    private string? FillPorts()
    {
        var fd = Libbpf.FindMapFdByName(_object, "dns_ports");
        var ports = stackalloc ushort[MaxPorts];
        for (var i = 0; i < MaxPorts; i++) ports[i] = i < options.Ports.Count ? (ushort)options.Ports[i] : (ushort)0;
        uint key = 0;
        return fd >= 0 && Libbpf.MapUpdateElem(fd, &key, ports, 0) == 0 ? null : $"cannot set the DNS ports (errno {Marshal.GetLastPInvokeError()})";
    }

    /// <summary>DNS is a trickle next to exec storms: each poll reads what came, no batching is needed.</summary>
    private void ReadLoop()
    {
        while (!_stopping)
        {
            var result = Libbpf.RingBufferPoll(_ring, 200);
            if (result < 0 && result != -4 /* EINTR */)
            {
                _status = $"dns: eBPF ring buffer poll failed (error {-result})";
                return;
            }
        }
    }

    [UnmanagedCallersOnly]
    private static int OnRecord(nint context, void* data, nuint size)
    {
        var probe = (EbpfDnsProbe)GCHandle.FromIntPtr(context).Target!;
        try
        {
            probe.Handle(new ReadOnlySpan<byte>(data, (int)size));
        }
        catch (Exception)
        {
            Interlocked.Increment(ref probe._drops); // a malformed record must not take the agent down
        }
        return 0;
    }

    private void Handle(ReadOnlySpan<byte> record)
    {
        if (record.Length < RecordSize || U32(record, 0) != DnsRecord)
            return;
        var flags = U32(record, 108);
        var packet = record.Slice(112, (int)Math.Min(U32(record, 104), PacketMax));
        if (DnsPacketParser.Parse(packet) is not { } query || !options.Ports.Contains(query.DestinationPort))
            return;
        Interlocked.Increment(ref _queries);
        var pid = (int)U32(record, 4);
        var size = (flags & (Cut | NonLinear)) != 0 ? FullMessageSize(packet, U32(record, 100)) ?? query.Size : query.Size;
        var timestamp = DateTimeOffset.UnixEpoch.AddTicks(((long)U64(record, 16) + _bootToWall) / 100);
        var sender = new DnsSender((int)U32(record, 8), (int)U32(record, 12), EbpfRecordReader.HeaderComm(record),
            EbpfRecordReader.HeaderCredentials(record), U64(record, 24));
        var result = new DnsQueryRecord(query.Id, query.Name, DnsPacketParser.TypeName(query.Type), DnsPacketParser.ClassName(query.Class),
            size, query.QuestionCount, pid, "exact", query.Source.ToString(), query.SourcePort,
            query.Destination.ToString(), query.DestinationPort, (int)U32(record, 96), timestamp)
        {
            Sender = sender, Truncated = (flags & (Cut | NonLinear)) != 0,
        };
        if (!output.TryWrite(result))
            Interlocked.Increment(ref _drops);
    }

    /// <summary>A cut packet's DNS message length: the packet's length less its IP and UDP headers.</summary>
    private static int? FullMessageSize(ReadOnlySpan<byte> packet, uint packetLength)
    {
        var headers = (packet[0] >> 4) == 4 ? (packet[0] & 0xf) * 4 + 8 : 40 + 8;
        return packetLength > headers ? (int)Math.Min(packetLength - headers, 65535) : null;
    }

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);

    private bool Unavailable(string reason)
    {
        _status = $"dns: unavailable: {reason}";
        Release();
        return false;
    }

    public void Stop()
    {
        _stopping = true;
        _reader?.Join();
        _reader = null;
        Release();
    }

    private void Release()
    {
        if (_dropsFd >= 0) Interlocked.Exchange(ref _releasedLosses, KernelLosses); // still reported once stopped
        if (_link != 0) _ = Libbpf.LinkDestroy(_link);
        _link = 0;
        if (_ring != 0) Libbpf.RingBufferFree(_ring);
        _ring = 0;
        if (_object != 0) Libbpf.ObjectClose(_object);
        _object = 0;
        _dropsFd = -1;
        if (_self.IsAllocated) _self.Free();
    }

    public void Dispose() => Stop();
}
