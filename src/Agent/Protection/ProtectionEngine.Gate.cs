using System.Text.Json.Nodes;
using Vigil.Agent.Probes;
using Vigil.Agent.Process;
using Vigil.Agent.Rules;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Agent.Protection;

/// <summary>The fanotify side: block rules evaluated on the file being exec'd, and the event of a denied exec.</summary>
public sealed partial class ProtectionEngine
{
    private readonly SeclContext _gateContext = new();

    /// <summary>
    /// Called on the gate thread for each file opened for exec. The caller still runs its old image, so block
    /// rules may only read the executable (the policy compiler checks that); they are evaluated on an exec
    /// event holding the file's fields.
    /// </summary>
    /// <returns>Null to allow; to deny, what to do once the kernel has the answer (report the blocked exec).</returns>
    private Action? DenyExec(int callerPid, int fd)
    {
        if (callerPid == Environment.ProcessId) return null;
        var path = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        if (path is null || ProtectionNative.Fstat(fd, out var stat) != 0) return null;
        var name = Path.GetFileName(path);
        ProtectedRule? matched = null;
        SeclEvent? evt = null;
        foreach (var rule in Plan)
        {
            if (rule.Mechanism != ProtectionMechanism.FanotifyBlock) continue;
            evt ??= FileEvent(fd, path, name, stat);
            if (rule.Rule.Compiled.Evaluate(evt, _gateContext)) { matched = rule; break; }
        }
        if (matched is null) return null;

        var detected = ProtectionClock.NowNs();
        var report = new RuleActionReport("block", RuleActionReport.Performed, "fanotify") { CreatedAtNs = detected, DetectedAtNs = detected };
        ProcFs.TryReadStatus(callerPid, out var ppid, out _, out _);
        var refusal = Safeguards.Refusal(callerPid, ppid, path);
        var verdict = refusal is null ? Guard.Check(matched.Rule.Id, path) : GuardVerdict.Allowed;
        if (refusal is not null || verdict != GuardVerdict.Allowed)
        {
            // Allowed: the exec goes on, and the pipeline's exec event carries this report.
            _gateRefusals[callerPid] = verdict == GuardVerdict.Disarmed
                ? report with { Status = RuleActionReport.Disarmed, DisarmerType = "executable" }
                : report with { Status = RuleActionReport.Refused, Reason = refusal ?? "rate_limited" };
            if (_gateRefusals.Count > 4096) _gateRefusals.Clear(); // bounded: entries nobody collected
            return null;
        }
        report = report with { ActedAtNs = ProtectionClock.NowNs() };
        Count(report);
        // The caller itself is read now, while execve waits for the answer (a child that gets EPERM exits at once);
        // its ancestors, which live on, and the event are read and built after the answer.
        // Built on the reporter thread: the gate thread must be free for the next exec.
        var caller = ReadCaller(callerPid, ppid);
        return () =>
        {
            if (!_blockedReports.Writer.TryWrite(() =>
                {
                    var cache = new ProcessCache(_users, new ContainerResolver());
                    if (caller is not null) caller.Parent = cache.Get(caller.Ppid);
                    EmitBlocked(matched, caller, cache, path, stat, report);
                }))
                _log($"protection: report of the blocked exec of {path} dropped (report queue full)");
        };
    }

    private readonly System.Threading.Channels.Channel<Action> _blockedReports =
        System.Threading.Channels.Channel.CreateBounded<Action>(new System.Threading.Channels.BoundedChannelOptions(1024) { SingleReader = true });

    private async Task ReportBlockedAsync()
    {
        await foreach (var report in _blockedReports.Reader.ReadAllAsync()) report();
    }

    private const long MaxHashedSize = 64L << 20;
    private readonly Dictionary<(ulong Dev, ulong Inode, long ModifiedNs, long Size), string[]> _hashCache = [];
    private bool _gateNeedsHashes;

    /// <summary>
    /// <c>sha1:…</c> and <c>sha256:…</c> of the binary (Datadog's hash strings), read from the event's fd and cached
    /// by device, inode, mtime and size (hashing every exec would cost far more than the decision itself).
    /// Files over 64 MiB get no hashes.
    /// </summary>
    private string[] Hashes(int fd, Interop.Libc.StatBuffer stat)
    {
        var key = (stat.Dev, stat.Inode, stat.ModificationTime.Seconds * 1_000_000_000 + stat.ModificationTime.Nanoseconds, stat.Size);
        if (_hashCache.TryGetValue(key, out var cached)) return cached;
        if (stat.Size > MaxHashedSize) return [];
        using var sha1 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA1);
        using var sha256 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false);
        var buffer = new byte[64 * 1024];
        long offset = 0;
        for (int read; (read = RandomAccess.Read(handle, buffer, offset)) > 0; offset += read)
        {
            sha1.AppendData(buffer, 0, read);
            sha256.AppendData(buffer, 0, read);
        }
        string[] hashes = [$"sha1:{Convert.ToHexStringLower(sha1.GetHashAndReset())}", $"sha256:{Convert.ToHexStringLower(sha256.GetHashAndReset())}"];
        if (_hashCache.Count >= 4096) _hashCache.Clear();
        _hashCache[key] = hashes;
        return hashes;
    }

    private static ProcessEntry? ReadCaller(int pid, int ppid)
    {
        if (!ProcFs.TryReadStatus(pid, out _, out var comm, out var credentials)) return null;
        var exe = ProcFs.TryReadExe(pid);
        return new ProcessEntry
        {
            Pid = pid, Ppid = ppid, Comm = comm, Credentials = credentials, Source = "fanotify",
            Argv = ProcFs.TryReadNulList(pid, "cmdline", out var truncated) ?? [], ArgsTruncated = truncated,
            Executable = exe is null ? ExecutableFile.Unknown : ProcFs.StatExecutable(exe),
        };
    }

    private SeclEvent FileEvent(int fd, string path, string name, Interop.Libc.StatBuffer stat)
    {
        var evt = new SeclEvent("exec") { TimestampNanoseconds = ProtectionClock.NowNs() };
        var hashes = _gateNeedsHashes ? Hashes(fd, stat) : null;
        foreach (var prefix in new[] { "exec.file", "process.file" })
        {
            if (hashes is not null) evt.Set($"{prefix}.hashes", hashes);
            evt.Set($"{prefix}.path", path).Set($"{prefix}.name", name).Set($"{prefix}.extension", Path.GetExtension(name).TrimStart('.'))
                .Set($"{prefix}.inode", (long)stat.Inode).Set($"{prefix}.mode", stat.Mode).Set($"{prefix}.uid", stat.Uid).Set($"{prefix}.gid", stat.Gid)
                .Set($"{prefix}.modification_time", stat.ModificationTime.Seconds * 1_000_000_000 + stat.ModificationTime.Nanoseconds)
                .Set($"{prefix}.change_time", stat.ChangeTime.Seconds * 1_000_000_000 + stat.ChangeTime.Nanoseconds);
        }
        return evt;
    }

    /// <summary>
    /// No exec event follows a denied exec, so the gate writes the agent event: the process is the caller (its image
    /// did not change), <c>file</c> is the executable it was denied, <c>evt.outcome</c> is <c>blocked</c>.
    /// </summary>
    private void EmitBlocked(ProtectedRule rule, ProcessEntry? caller, ProcessCache cache, string path, Interop.Libc.StatBuffer stat, RuleActionReport report)
    {
        try
        {
            if (caller is null) return;
            var evt = new KernelEvent { Kind = KernelEventKind.Exec, Pid = caller.Pid, TimestampNs = report.CreatedAtNs, Source = "fanotify" };
            var json = new AgentEventSerializer(_users).Serialize(rule.Rule, new SeclEvent("exec"), evt, caller, cache);
            json["evt"]!["outcome"] = "blocked";
            json["file"] = new JsonObject
            {
                ["path"] = path, ["name"] = Path.GetFileName(path), ["inode"] = stat.Inode, ["mode"] = stat.Mode,
                ["uid"] = stat.Uid, ["gid"] = stat.Gid, ["user"] = _users.User(stat.Uid), ["group"] = _users.Group(stat.Gid),
            };
            json["agent"]!["rule_actions"] = new JsonArray(report.ToJson());
            _sink(json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _log($"protection: blocked exec of {path} not reported: {e.Message}");
        }
    }
}
