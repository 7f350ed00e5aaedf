using System.Runtime.InteropServices;
using System.Text;
using Vigil.Agent.Interop;
using Vigil.Agent.Probes.Ebpf;
using static Vigil.Agent.Protection.ExecGuardMaps;

namespace Vigil.Agent.Protection;

/// <summary>What the kernel did to one process at exec (read back from protect_actions).</summary>
public readonly record struct KernelAction(int Pid, int RuleSlot, bool Hold, uint Outcome, long TimestampWallNs);

/// <summary>
/// Loads vigil-protect.bpf.o (its exec program kills or stops processes the maps select), fills the maps from
/// the plan, and runs a watchdog: it writes the heartbeat the kernel checks before stopping anyone, and
/// resumes processes held longer than the hold timeout (fail open) so a slow or dead agent never freezes them.
/// Start it before the event probes: its program then runs before theirs on each exec.
/// </summary>
public sealed unsafe class ExecGuard(ProtectionOptions options) : IDisposable
{
    private static readonly long HoldGraceNs = 2_000_000_000;
    private readonly Lock _lock = new();
    private nint _object, _link;
    private int _names = -1, _inodes = -1, _allowed = -1, _exempt = -1, _needles = -1, _config = -1, _rules = -1, _actions = -1;
    private Config _configValue;
    private Thread? _watchdog;
    private volatile bool _stopping;
    private long _released, _timedOut;

    public string Status { get; private set; } = "not started";

    public bool Running { get; private set; }

    /// <summary>Held processes resumed because the rule did not match, and because no verdict came in time.</summary>
    public (long Released, long TimedOut) HoldCounters => (Interlocked.Read(ref _released), Interlocked.Read(ref _timedOut));

    /// <summary>Loads and attaches; false (with <see cref="Status"/>) when eBPF cannot run here.</summary>
    public bool Start(IReadOnlyList<ProtectedRule> plan, Safeguards safeguards)
    {
        try
        {
            var error = Load();
            if (error is not null)
            {
                Status = "unavailable: " + error;
                Release();
                return false;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Status = $"unavailable: libbpf.so.1 is not installed ({e.Message})";
            return false;
        }
        Fill(plan, safeguards);
        Running = true;
        _watchdog = new Thread(Watch) { IsBackground = true, Name = "vigil-protect-watchdog", Priority = ThreadPriority.AboveNormal };
        _watchdog.Start();
        Status = "running";
        return true;
    }

    private string? Load()
    {
        var path = options.BpfObjectPath ?? ProtectionOptions.DefaultBpfObjectPath;
        if (!File.Exists(path)) return $"BPF object {path} not found (built by Bpf/build-bpf.sh)";
        if (TraceFs.EnsureMounted() is { } tracefs) return tracefs;
        _ = Libbpf.SetPrint(0);
        _object = Libbpf.ObjectOpenFile(path, 0);
        if (_object == 0) return $"cannot open BPF object {path} (errno {Marshal.GetLastPInvokeError()})";
        for (var map = Libbpf.NextMap(_object, 0); map != 0; map = Libbpf.NextMap(_object, map))
        {
            if (Libbpf.Name(Libbpf.MapName(map)) is not { } name || !name.EndsWith(".rodata", StringComparison.Ordinal)) continue;
            nuint size;
            var data = Libbpf.MapInitialValue(map, &size);
            if (data != 0 && size >= 4) *(uint*)data = (uint)Environment.ProcessId;
        }
        var loaded = Libbpf.ObjectLoad(_object);
        if (loaded != 0) return $"the kernel refused the exec guard (error {-loaded}; needs root with CAP_BPF/CAP_PERFMON, BTF and bpf_loop)";
        var prog = Libbpf.NextProgram(_object, 0);
        _link = prog == 0 ? 0 : Libbpf.ProgramAttach(prog);
        if (_link == 0) return $"attaching the exec guard to sched_process_exec failed (errno {Marshal.GetLastPInvokeError()})";
        _names = Fd("protect_names");
        _inodes = Fd("protect_inodes");
        _allowed = Fd("protect_allowed_inodes");
        _exempt = Fd("protect_exempt_pids");
        _needles = Fd("protect_needles");
        _config = Fd("protect_config");
        _rules = Fd("protect_rules");
        _actions = Fd("protect_actions");
        return null;
    }

    private int Fd(string map) => Libbpf.FindMapFdByName(_object, map);

    private void Fill(IReadOnlyList<ProtectedRule> plan, Safeguards safeguards)
    {
        uint one = 1;
        foreach (var pid in safeguards.ExemptPids)
        {
            var key = (uint)pid;
            _ = ProtectionNative.MapUpdate(_exempt, &key, &one, 0);
        }
        foreach (var path in safeguards.AllowedPaths)
        {
            if (Libc.Stat(path, out var stat) != 0) continue;
            var inode = stat.Inode;
            _ = ProtectionNative.MapUpdate(_allowed, &inode, &one, 0);
        }
        var needleCount = 0u;
        foreach (var rule in plan.Where(r => r.Mechanism is ProtectionMechanism.EbpfKill or ProtectionMechanism.Hold))
        {
            var verdict = new Verdict { Action = rule.Mechanism == ProtectionMechanism.EbpfKill ? Kill : Hold, Rule = (uint)rule.Slot };
            foreach (var name in rule.Names)
            {
                var key = new Name();
                var bytes = Encoding.UTF8.GetBytes(name);
                for (var i = 0; i < bytes.Length && i < NameMax - 1; i++) key.Bytes[i] = bytes[i];
                _ = ProtectionNative.MapUpdate(_names, &key, &verdict, 0);
            }
            foreach (var inode in rule.Inodes)
            {
                var key = (ulong)inode;
                _ = ProtectionNative.MapUpdate(_inodes, &key, &verdict, 0);
            }
            foreach (var text in rule.Needles)
            {
                var needle = new Needle { Rule = (uint)rule.Slot };
                var bytes = Encoding.UTF8.GetBytes(text);
                needle.Length = (uint)Math.Min(bytes.Length, NeedleMax);
                for (var i = 0; i < needle.Length; i++) needle.Bytes[i] = bytes[i];
                _configValue.FirstBytes[bytes[0] >> 6] |= 1UL << (bytes[0] & 63);
                var index = needleCount++;
                _ = ProtectionNative.MapUpdate(_needles, &index, &needle, 0);
            }
            SetArmed(rule.Slot, true);
        }
        _configValue.NeedleCount = needleCount;
        _configValue.Enabled = 1;
        _configValue.HoldGrace = (ulong)HoldGraceNs;
        WriteConfig();
    }

    /// <summary>Arms or disarms a rule slot in the kernel (the disarmer's switch); resets its rate window.</summary>
    public void SetArmed(int slot, bool armed)
    {
        if (_rules < 0 || slot >= ExecGuardMaps.Rules) return;
        var key = (uint)slot;
        var state = new RuleState { Armed = armed ? 1u : 0u, MaxPerWindow = (uint)Math.Max(1, options.MaxActionsPerSecond), WindowNs = 1_000_000_000 };
        _ = ProtectionNative.MapUpdate(_rules, &key, &state, 0);
    }

    private void WriteConfig()
    {
        _configValue.Heartbeat = (ulong)ProtectionClock.BootNowNs();
        uint zero = 0;
        fixed (Config* value = &_configValue) _ = ProtectionNative.MapUpdate(_config, &zero, value, 0);
    }

    /// <summary>Takes the kernel's record for the process (once), when it belongs to the exec at <paramref name="execWallNs"/>.</summary>
    public KernelAction? Take(int pid, long execWallNs)
    {
        if (!Running) return null;
        lock (_lock)
        {
            var key = (uint)pid;
            ActionRecord value;
            if (ProtectionNative.MapLookup(_actions, &key, &value) != 0) return null;
            var wall = ProtectionClock.BootToWall((long)value.Timestamp);
            if (execWallNs != 0 && Math.Abs(wall - execWallNs) > 2_000_000_000) return null; // an older process with this pid
            _ = ProtectionNative.MapDelete(_actions, &key);
            return new KernelAction(pid, (int)value.Rule, value.Kind == Hold, value.Outcome, wall);
        }
    }

    /// <summary>After the rules saw an exec: a process still held was not killed, so it runs on.</summary>
    public void ReleaseIfHeld(int pid)
    {
        if (Take(pid, 0) is { Hold: true, Outcome: Performed })
        {
            Interlocked.Increment(ref _released); // counted first: whoever sees the process run also sees the count
            _ = ProcessKiller.Signal(pid, ProcessKiller.SIGCONT);
        }
    }

    private void Watch()
    {
        var timeoutNs = (long)options.HoldTimeout.TotalMilliseconds * 1_000_000;
        while (!_stopping)
        {
            WriteConfig();
            var now = ProtectionClock.BootNowNs();
            foreach (var (pid, action) in Records())
            {
                var age = now - (long)action.Timestamp;
                if (action.Kind == Hold && action.Outcome == Performed && age > timeoutNs)
                {
                    if (Take(pid, 0) is { Hold: true })
                    {
                        Interlocked.Increment(ref _timedOut);
                        _ = ProcessKiller.Signal(pid, ProcessKiller.SIGCONT);
                    }
                }
                else if (age > 30_000_000_000L) _ = Take(pid, 0); // nobody asked for it (no rule match reached the engine)
            }
            Thread.Sleep(50);
        }
    }

    private List<(int Pid, ActionRecord Action)> Records()
    {
        var records = new List<(int, ActionRecord)>();
        uint key = 0, next;
        var first = true;
        while (records.Count < 8192 && ProtectionNative.MapNextKey(_actions, first ? null : &key, &next) == 0)
        {
            first = false;
            key = next;
            ActionRecord value;
            if (ProtectionNative.MapLookup(_actions, &key, &value) == 0) records.Add(((int)key, value));
        }
        return records;
    }

    public void Dispose()
    {
        _stopping = true;
        _watchdog?.Join();
        if (Running)
        {
            _configValue.Enabled = 0;
            WriteConfig();
            // Detach before the last sweep: a program already past its enabled check could still hold a process
            // after a sweep, and nothing would resume it. The pause covers programs still running on other CPUs.
            if (_link != 0) _ = Libbpf.LinkDestroy(_link);
            _link = 0;
            Thread.Sleep(20);
            foreach (var (pid, action) in Records())
            {
                if (action.Kind == Hold && Take(pid, 0) is { Hold: true, Outcome: Performed }) _ = ProcessKiller.Signal(pid, ProcessKiller.SIGCONT);
            }
        }
        Running = false;
        Release();
    }

    private void Release()
    {
        if (_link != 0) _ = Libbpf.LinkDestroy(_link);
        _link = 0;
        if (_object != 0) Libbpf.ObjectClose(_object);
        _object = 0;
    }
}
