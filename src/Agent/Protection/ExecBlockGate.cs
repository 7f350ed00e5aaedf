using System.Runtime.InteropServices;
using Vigil.Agent.Interop;

namespace Vigil.Agent.Protection;

/// <summary>
/// fanotify permission gate for <c>block</c> rules: every exec-capable mount gets a FAN_OPEN_EXEC_PERM mark, and
/// each exec waits for the deny callback before the kernel loads the binary; a deny makes execve fail with
/// EPERM; what the callback returns for a denied exec (the report) runs after the answer. Each exec opens two files
/// (the binary, then its ELF interpreter), so both are asked about. The reader is a dedicated thread that never execs.
/// <para>
/// Stopping removes the marks and answers what is still queued before the group is closed. Closing alone is not
/// enough: a child this process spawns holds a copy of the group's descriptor until its exec completes (close-on-exec
/// applies only then), so a child whose exec is queued keeps the group, and its marks on every mount, alive while
/// it waits for an answer that would never come, and every exec on the host would wait behind it.
/// </para>
/// </summary>
/// <param name="deny">Called for each exec'd file: null allows; otherwise what to run once the deny is answered.</param>
/// <param name="mounts">The mount points to gate; null gates every exec-capable mount (what the agent does).</param>
public sealed unsafe class ExecBlockGate(Func<int, int, Action?> deny, IReadOnlyList<string>? mounts = null) : IDisposable
{
    private const uint ClassContent = 0x4, CloseOnExec = 0x1, NonBlocking = 0x2, MarkAdd = 0x1, MarkFlush = 0x80, MarkMount = 0x10;
    private const ulong OpenExecPerm = 0x40000;
    private const uint Allow = 1, Deny = 2;
    private const uint OpenReadOnlyLargeFile = 0x8000;
    private static readonly HashSet<string> PseudoFileSystems = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf",
        "configfs", "fusectl", "hugetlbfs", "autofs", "binfmt_misc", "nsfs", "rpc_pipefs", "efivarfs", "selinuxfs",
    };
    private int _fd = -1;
    private Thread? _thread;
    private volatile bool _stopping;
    private long _decisions, _denied;

    public string Status { get; private set; } = "not started";

    public bool Running { get; private set; }

    public (long Decisions, long Denied) Counters => (Interlocked.Read(ref _decisions), Interlocked.Read(ref _denied));

    public bool Start()
    {
        _fd = ProtectionNative.FanotifyInit(ClassContent | CloseOnExec | NonBlocking, OpenReadOnlyLargeFile);
        if (_fd < 0)
        {
            Status = $"unavailable: fanotify_init failed (errno {Marshal.GetLastPInvokeError()}; needs CAP_SYS_ADMIN and CONFIG_FANOTIFY_ACCESS_PERMISSIONS)";
            return false;
        }
        var marked = new List<string>();
        foreach (var mount in mounts ?? ExecMounts())
        {
            if (ProtectionNative.FanotifyMark(_fd, MarkAdd | MarkMount, OpenExecPerm, -100, mount) == 0) marked.Add(mount);
        }
        if (marked.Count == 0)
        {
            Status = $"unavailable: no mount accepted a FAN_OPEN_EXEC_PERM mark (errno {Marshal.GetLastPInvokeError()})";
            _ = Libc.Close(_fd);
            _fd = -1;
            return false;
        }
        _thread = new Thread(Read) { IsBackground = true, Name = "vigil-exec-gate", Priority = ThreadPriority.Highest };
        _thread.Start();
        Running = true;
        Status = $"running on {marked.Count} mounts";
        return true;
    }

    /// <summary>Mount points that can hold executables: real filesystems without noexec (from /proc/self/mountinfo).</summary>
    internal static IEnumerable<string> ExecMounts()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/mountinfo");
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (var line in lines)
        {
            var fields = line.Split(' ');
            var dash = Array.IndexOf(fields, "-");
            if (dash < 6 || dash + 1 >= fields.Length) continue;
            var options = fields[5].Split(',');
            if (options.Contains("noexec") || PseudoFileSystems.Contains(fields[dash + 1])) continue;
            yield return Unescape(fields[4]);
        }
    }

    private static string Unescape(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

    private void Read()
    {
        var buffer = new byte[16 * 1024];
        var poll = new ProtectionNative.PollFd { Fd = _fd, Events = 1 };
        while (!_stopping)
        {
            if (ProtectionNative.Poll(&poll, 1, 100) > 0) Answer(buffer, decide: true);
        }
        // No new exec waits on the group once its marks are gone; what is already queued is allowed, until the
        // queue has stayed empty for a while (an exec that passed the mark just before the flush is queued late).
        _ = ProtectionNative.FanotifyMark(_fd, MarkFlush | MarkMount, 0, -100, "/");
        for (var quietPolls = 0; quietPolls < 3;)
        {
            if (ProtectionNative.Poll(&poll, 1, 20) > 0 && Answer(buffer, decide: false) > 0) quietPolls = 0;
            else quietPolls++;
        }
    }

    /// <summary>Reads the queued events and answers each (asking the rules when <paramref name="decide"/>, else allowing).</summary>
    /// <returns>How many events were read.</returns>
    private int Answer(byte[] buffer, bool decide)
    {
        nint length;
        fixed (byte* data = buffer) length = ProtectionNative.Read(_fd, data, (nuint)buffer.Length);
        var count = 0;
        for (var offset = 0; offset + 24 <= length; count++)
        {
            var eventLength = BitConverter.ToInt32(buffer, offset);
            var mask = BitConverter.ToUInt64(buffer, offset + 8);
            var fd = BitConverter.ToInt32(buffer, offset + 16);
            var pid = BitConverter.ToInt32(buffer, offset + 20);
            if (fd >= 0)
            {
                var afterDeny = decide && (mask & OpenExecPerm) != 0 ? Ask(pid, fd) : null;
                Respond(fd, afterDeny is null ? Allow : Deny);
                _ = Libc.Close(fd);
                afterDeny?.Invoke();
            }
            if (eventLength <= 0) break;
            offset += eventLength;
        }
        return count;
    }

    /// <summary>A failing decision allows: the gate must never turn an agent bug into a host that cannot exec.</summary>
    private Action? Ask(int pid, int fd)
    {
        Interlocked.Increment(ref _decisions);
        try
        {
            var afterDeny = deny(pid, fd);
            if (afterDeny is not null) Interlocked.Increment(ref _denied);
            return afterDeny;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private void Respond(int fd, uint response)
    {
        var answer = stackalloc uint[2];
        answer[0] = (uint)fd;
        answer[1] = response;
        _ = ProtectionNative.Write(_fd, answer, 8);
    }

    public void Dispose()
    {
        _stopping = true;
        _thread?.Join();
        Running = false;
        if (_fd >= 0) _ = Libc.Close(_fd); // marks flushed and the queue answered by the reader (see the class comment)
        _fd = -1;
    }
}
