using System.Runtime.InteropServices;
using System.Threading.Channels;
using Vigil.Agent.Interop;

namespace Vigil.Agent.Probes.Ebpf;

/// <summary>
/// Loads Bpf/vigil.bpf.o through libbpf, attaches its tracepoint programs and drains the ring buffer on
/// a dedicated thread. Exec is required; any other program failing to attach is named in the status and
/// the rest keeps running. Optional programs (module attempts, mmap/mprotect) load only when asked for.
/// </summary>
public sealed unsafe class EbpfProbe(EbpfProbeOptions options) : IProbe
{
    private static readonly string[] Optional = ["handle_module_attempt", "handle_mmap", "handle_mprotect"];
    private readonly List<nint> _links = [];
    private nint _object, _ring;
    private uint* _gathering; // the programs' `reader_gathering` in the mapped .bss (see Poll); null with an older object
    private nint _bss;
    private int _dropsFd = -1;
    private GCHandle _self;
    private readonly StringListCache _environments = new(); // used by the ring thread only
    private readonly List<KernelEvent> _decoded = []; // records of the current read, ring thread only
    private Thread? _thread;
    private volatile bool _stopping;
    private ChannelWriter<KernelEvent>? _writer;
    private long _events, _records, _agentDrops, _bootToWall;
    private string _detail = "not started";
    private ProbeState _state = ProbeState.NotStarted;

    public IReadOnlyList<string> Domains { get; } = ["process", "kernel"];

    public string Name => "ebpf";

    public ProbeStatus Status => new(_state, _detail, Interlocked.Read(ref _events), Interlocked.Read(ref _agentDrops) + KernelDrops());

    /// <summary>Where the compiled object is looked for: the option, VIGIL_BPF_OBJECT, then next to the agent.</summary>
    public static string DefaultObjectPath =>
        Environment.GetEnvironmentVariable("VIGIL_BPF_OBJECT") ?? Path.Combine(AppContext.BaseDirectory, "vigil.bpf.o");

    public bool Start(ChannelWriter<KernelEvent> events)
    {
        _writer = events;
        try
        {
            var error = Load();
            if (error is not null) return Fail(error);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Fail($"libbpf.so.1 is not installed ({e.Message})");
        }
        _thread = new Thread(Poll) { IsBackground = true, Name = "vigil-ebpf-ring" };
        _thread.Start();
        _state = ProbeState.Running;
        return true;
    }

    private string? Load()
    {
        var path = options.ObjectPath ?? DefaultObjectPath;
        if (!File.Exists(path)) return $"BPF object {path} not found (built by Bpf/build-bpf.sh with clang and bpftool)";
        if (TraceFs.EnsureMounted() is { } tracefs) return tracefs;
        _ = Libbpf.SetPrint(0); // libbpf's own stderr chatter (MEMLOCK warnings); failures are reported below
        _object = Libbpf.ObjectOpenFile(path, 0);
        if (_object == 0) return $"cannot open BPF object {path} (errno {Marshal.GetLastPInvokeError()})";

        for (var prog = Libbpf.NextProgram(_object, 0); prog != 0; prog = Libbpf.NextProgram(_object, prog))
        {
            var name = Libbpf.Name(Libbpf.ProgramName(prog));
            var wanted = name switch
            {
                "handle_module_attempt" => options.ModuleAttempts,
                "handle_mmap" or "handle_mprotect" => options.ExecutableMemory,
                _ => true,
            };
            _ = Libbpf.ProgramSetAutoload(prog, wanted);
        }
        SetAgentPid();
        var loaded = Libbpf.ObjectLoad(_object);
        if (loaded != 0) return $"the kernel refused the BPF programs (error {-loaded}; needs root with CAP_BPF/CAP_PERFMON and BTF)";

        var failures = new List<string>();
        var attached = 0;
        for (var prog = Libbpf.NextProgram(_object, 0); prog != 0; prog = Libbpf.NextProgram(_object, prog))
        {
            var name = Libbpf.Name(Libbpf.ProgramName(prog)) ?? "?";
            if (Optional.Contains(name) && !(name == "handle_module_attempt" ? options.ModuleAttempts : options.ExecutableMemory)) continue;
            var link = Libbpf.ProgramAttach(prog);
            if (link == 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (name == "handle_exec") return $"attaching sched_process_exec failed (errno {errno})";
                failures.Add($"{name["handle_".Length..]} (errno {errno})");
                continue;
            }
            _links.Add(link);
            attached++;
        }
        _dropsFd = Libbpf.FindMapFdByName(_object, "drops");
        var eventsFd = Libbpf.FindMapFdByName(_object, "events");
        _self = GCHandle.Alloc(this);
        _ring = Libbpf.RingBufferNew(eventsFd, &OnRecord, GCHandle.ToIntPtr(_self), 0);
        if (_ring == 0) return $"cannot open the ring buffer (errno {Marshal.GetLastPInvokeError()})";
        _gathering = GatheringFlag();
        _bootToWall = Libc.Now(Libc.CLOCK_REALTIME) - Libc.Now(Libc.CLOCK_BOOTTIME);
        _detail = $"{attached} tracepoint programs attached" + (failures.Count > 0 ? $"; not attached: {string.Join(", ", failures)}" : "");
        return null;
    }

    /// <summary>
    /// Maps the object's .bss (an mmap-able array map; libbpf 1.1 maps it into the process only for skeletons) so the
    /// reader can flip the programs' <c>reader_gathering</c> (its first word) without a syscall. Null when it cannot.
    /// </summary>
    private uint* GatheringFlag()
    {
        for (var map = Libbpf.NextMap(_object, 0); map != 0; map = Libbpf.NextMap(_object, map))
        {
            if (Libbpf.Name(Libbpf.MapName(map)) is not { } name || !name.EndsWith(".bss", StringComparison.Ordinal)) continue;
            var fd = Libbpf.MapFd(map);
            if (fd < 0) return null;
            var mapped = Libc.Mmap(0, (nuint)Environment.SystemPageSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            if (mapped == -1) return null;
            _bss = mapped;
            return (uint*)mapped;
        }
        return null;
    }

    /// <summary>
    /// The agent's tgid goes in .rodata before load so its own syscalls (runtime mprotect, bpf) are not reported; the ring
    /// buffer gets its configured size (its pages are mapped twice into the agent, so they count double in its memory).
    /// </summary>
    private void SetAgentPid()
    {
        for (var map = Libbpf.NextMap(_object, 0); map != 0; map = Libbpf.NextMap(_object, map))
        {
            var mapName = Libbpf.Name(Libbpf.MapName(map));
            if (mapName == "events" && options.RingBufferBytes > 0) _ = Libbpf.MapSetMaxEntries(map, (uint)options.RingBufferBytes);
            if (mapName is not { } name || !name.EndsWith(".rodata", StringComparison.Ordinal)) continue;
            nuint size;
            var data = Libbpf.MapInitialValue(map, &size);
            if (data != 0 && size >= 4) *(uint*)data = (uint)(options.IgnoredPid ?? Environment.ProcessId);
            // wakeup_bytes (offset 8, after agent_tgid and its padding): a quarter of the ring forces a wake-up.
            if (data != 0 && size >= 16 && options.RingBufferBytes > 0) *(ulong*)(data + 8) = (ulong)options.RingBufferBytes / 4;
        }
    }

    /// <summary>
    /// Reads the ring buffer in batches. Idle, the thread waits for the kernel's wake-up, which comes with the first
    /// record. It then gathers: it raises the programs' <c>reader_gathering</c> flag, so records submitted meanwhile do
    /// not wake it, waits <see cref="EbpfProbeOptions.BatchDelay"/> and reads what came, and goes on doing so while
    /// records keep coming, each wait twice the last up to <see cref="EbpfProbeOptions.MaxBatchDelay"/>; a wait with none
    /// ends the gathering. A storm thus costs one wake-up of this thread (and of the pipeline's) per delay, not per
    /// record, for at most that much added latency: on a busy machine each wake-up of a thread whose caches went cold
    /// costs more than handling several execs. Execs that Active Protection holds (stopped, waiting for the verdict)
    /// and a ring a quarter full still wake it at once during a wait (the programs force those wake-ups); their records
    /// are read and passed on then.
    /// </summary>
    private void Poll()
    {
        var firstDelayMs = (int)Math.Ceiling(options.BatchDelay.TotalMilliseconds);
        var maxDelayMs = Math.Max(firstDelayMs, (int)Math.Ceiling(options.MaxBatchDelay.TotalMilliseconds));
        while (!_stopping)
        {
            var result = Libbpf.RingBufferPoll(_ring, 100);
            if (result == 0) result = Libbpf.RingBufferConsume(_ring); // a record that raced with the end of a gathering
            PassOn();
            if (result < 0 && result != -4 /* EINTR */)
            {
                _state = ProbeState.Failed;
                _detail = $"ring buffer poll failed (error {-result})";
                return;
            }
            if (result <= 0 || firstDelayMs <= 0) continue;
            if (_gathering is null)
            {
                Thread.Sleep(firstDelayMs); // an object without the flag: every record may wake the reader, so do not wait on it
                continue;
            }
            Volatile.Write(ref *_gathering, 1u);
            for (var delayMs = firstDelayMs; !_stopping && Gather(delayMs) > 0; delayMs = Math.Min(delayMs * 2, maxDelayMs))
            {
            }
            Volatile.Write(ref *_gathering, 0u);
            Interlocked.MemoryBarrier(); // programs that read the flag from now on wake an idle reader again
            _ = Libbpf.RingBufferConsume(_ring);
            PassOn();
        }
    }

    /// <summary>Waits one delay (forced wake-ups and records already waiting are read at once), then reads the rest; returns how many.</summary>
    private long Gather(int delayMs)
    {
        var before = _records;
        var deadline = Environment.TickCount64 + delayMs;
        for (var left = delayMs; left > 0 && !_stopping; left = (int)(deadline - Environment.TickCount64))
        {
            var polled = Libbpf.RingBufferPoll(_ring, left);
            PassOn(); // a forced wake-up (held exec) must not wait for the end of the delay
            if (polled is < 0 and not -4) return 0;
        }
        var consumed = Libbpf.RingBufferConsume(_ring);
        PassOn();
        return consumed < 0 ? 0 : _records - before;
    }

    /// <summary>
    /// Hands the records decoded by the last read to the pipeline together: written one by one as they were decoded,
    /// each write could wake the pipeline's thread, which then caught up and slept again several times per batch.
    /// </summary>
    private void PassOn()
    {
        foreach (var evt in _decoded)
        {
            if (!_writer!.TryWrite(evt)) Interlocked.Increment(ref _agentDrops);
        }
        _decoded.Clear();
    }

    [UnmanagedCallersOnly]
    private static int OnRecord(nint context, void* data, nuint size)
    {
        var probe = (EbpfProbe)GCHandle.FromIntPtr(context).Target!;
        probe._records++; // read by the ring thread only (Gather)
        try
        {
            var evt = EbpfRecordReader.Read(new ReadOnlySpan<byte>(data, (int)size), probe._bootToWall, probe._environments);
            if (evt is null) return 0;
            Interlocked.Increment(ref probe._events);
            probe._decoded.Add(evt); // passed on when the read returns (PassOn)
        }
        catch (Exception)
        {
            Interlocked.Increment(ref probe._agentDrops); // a malformed record must not take the agent down
        }
        return 0;
    }

    private long KernelDrops()
    {
        if (_dropsFd < 0) return 0;
        uint key = 0;
        ulong value = 0;
        return Libbpf.MapLookupElem(_dropsFd, &key, &value) == 0 ? (long)value : 0;
    }

    private bool Fail(string detail)
    {
        _state = ProbeState.Failed;
        _detail = detail;
        Release();
        return false;
    }

    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
        _thread = null;
        if (_state == ProbeState.Running) _state = ProbeState.Stopped;
        Release();
    }

    private void Release()
    {
        foreach (var link in _links) _ = Libbpf.LinkDestroy(link);
        _links.Clear();
        if (_ring != 0) Libbpf.RingBufferFree(_ring);
        _gathering = null;
        if (_bss != 0) _ = Libc.Munmap(_bss, (nuint)Environment.SystemPageSize);
        _bss = 0;
        _ring = 0;
        if (_object != 0) Libbpf.ObjectClose(_object);
        _object = 0;
        _dropsFd = -1;
        if (_self.IsAllocated) _self.Free();
    }

    public void Dispose() => Stop();
}

/// <summary>Where the BPF object is, which optional programs to load, and whose syscalls to ignore.</summary>
public sealed record EbpfProbeOptions
{
    public string? ObjectPath { get; init; }
    /// <summary>init_module/finit_module attempts through raw_syscalls (costs every syscall a little).</summary>
    public bool ModuleAttempts { get; init; }
    /// <summary>Anonymous PROT_EXEC mmap and PROT_EXEC mprotect.</summary>
    public bool ExecutableMemory { get; init; }
    /// <summary>Default: the agent's own pid.</summary>
    public int? IgnoredPid { get; init; }
    /// <summary>
    /// How long records gather in the ring buffer after the first of a batch woke the reader: added latency for all but
    /// that first record and held execs, one wake-up per batch instead of one per record.
    /// </summary>
    public TimeSpan BatchDelay { get; init; } = TimeSpan.FromMilliseconds(25);
    /// <summary>
    /// While records keep coming each gathering delay doubles up to this: a sustained storm costs one wake-up per
    /// 100 ms, and no event waits longer than that (a lone exec is still read at once, a held one too).
    /// </summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>
    /// Ring buffer size (a power of two of pages). 4 MiB holds about 600 exec records, over 100 ms of the fastest storm
    /// measured here while the reader drains it every 100 ms at most (sooner once a quarter is used); failed reserves are
    /// counted as lost. 0 keeps the object's size.
    /// </summary>
    public int RingBufferBytes { get; init; } = 4 * 1024 * 1024;
}
