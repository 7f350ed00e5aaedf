using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Vigil.Agent.Probes;
using Vigil.Agent.Process;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Agent.Protection;

/// <summary>
/// Active Protection on the agent: plans each kill/block rule's mechanism, starts the kernel parts it needs
/// (eBPF exec guard, fanotify exec gate), and performs or reports every action. A rule carrying a kill or block
/// action is in Blocking mode; the same rule without it is Monitoring. A mechanism that cannot start leaves a
/// status line and the rule falls back to the next mechanism; the agent keeps running.
/// Start it before the pipeline's probes (its exec program must run before theirs).
/// </summary>
public sealed partial class ProtectionEngine : IRuleActionHandler, IDisposable
{
    private readonly IReadOnlyList<SeclRule> _rules;
    private readonly ProtectionOptions _options;
    private readonly Action<JsonObject> _sink;
    private readonly Action<string> _log;
    private readonly Dictionary<SeclRule, ProtectedRule> _byRule = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<int, RuleActionReport> _gateRefusals = new();
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly UserDirectory _users = new();
    private ExecGuard? _guard;
    private ExecBlockGate? _gate;
    private bool _holds;
    private Task? _reporter;
    private (KernelEvent Evt, string RuleId, string Mechanism)? _killedBy; // several rules may match one exec: one kill

    public ProtectionEngine(IReadOnlyList<SeclRule> rules, ProtectionOptions? options = null, Action<JsonObject>? sink = null, Action<string>? log = null)
    {
        _rules = rules;
        _options = options ?? new ProtectionOptions();
        _sink = sink ?? (_ => { });
        _log = log ?? (_ => { });
        Safeguards = new Safeguards(_options);
        Guard = new RuleActionGuard(_options);
        Guard.ArmingChanged += OnArmingChanged;
    }

    public Safeguards Safeguards { get; }

    public RuleActionGuard Guard { get; }

    public IReadOnlyList<ProtectedRule> Plan { get; private set; } = [];

    /// <summary>Plans, then starts the exec guard and the exec gate when a rule needs them (re-planning without the ones that failed).</summary>
    public void Start()
    {
        var wantsKernel = _options.UseEbpf && _rules.Any(r => r.EventType == "exec" && r.OtherActions.Any(a => a.Kind == "kill"));
        var wantsGate = _options.UseFanotify && _rules.Any(r => r.OtherActions.Any(a => a.Kind == "block"));
        if (wantsGate)
        {
            _reporter = Task.Run(ReportBlockedAsync);
            _gate = new ExecBlockGate(DenyExec);
            if (!_gate.Start()) _log($"protection: exec gate {_gate.Status}; block rules fall back to a kill after the exec");
        }
        Plan = ProtectionPlanner.Plan(_rules, wantsKernel, _gate?.Running == true);
        if (wantsKernel && Plan.Any(p => p.Mechanism is ProtectionMechanism.EbpfKill or ProtectionMechanism.Hold))
        {
            _guard = new ExecGuard(_options);
            if (!_guard.Start(Plan, Safeguards))
            {
                _log($"protection: exec guard {_guard.Status}; exec rules fall back to user-space kills");
                Plan = ProtectionPlanner.Plan(_rules, false, _gate?.Running == true);
            }
        }
        _holds = Plan.Any(p => p.Mechanism == ProtectionMechanism.Hold);
        _gateNeedsHashes = Plan.Any(p => p.Mechanism == ProtectionMechanism.FanotifyBlock && p.Rule.Compiled.Fields.Any(f => f.Name.EndsWith(".file.hashes", StringComparison.Ordinal)));
        _byRule.Clear();
        foreach (var rule in Plan) _byRule[rule.Rule] = rule;
    }

    public JsonArray? Perform(SeclRule rule, SeclEvent secl, KernelEvent evt, ProcessEntry subject)
    {
        if (!_byRule.TryGetValue(rule, out var protectedRule)) return null;
        RuleActionReport report;
        if (protectedRule.Action == "block" && _gateRefusals.TryRemove(subject.Pid, out var refusal)) report = refusal;
        else if (_killedBy is { } first && first.Evt == evt)
            report = new RuleActionReport(protectedRule.Action, RuleActionReport.NotPerformed, first.Mechanism)
            {
                Signal = protectedRule.Signal.Length > 0 ? protectedRule.Signal : null, Scope = protectedRule.Scope, Reason = $"already killed by rule `{first.RuleId}`",
            };
        else
        {
            report = Kill(protectedRule, evt, subject);
            if (report.Status == RuleActionReport.Performed && protectedRule.SignalNumber == ProcessKiller.SIGKILL) _killedBy = (evt, rule.Id, report.Mechanism);
        }
        Count(report);
        return [report.ToJson()];
    }

    public void Evaluated(KernelEvent evt)
    {
        _killedBy = null;
        if (_holds && evt.Kind == KernelEventKind.Exec) _guard?.ReleaseIfHeld(evt.Pid);
    }

    private RuleActionReport Kill(ProtectedRule rule, KernelEvent evt, ProcessEntry subject)
    {
        var detected = ProtectionClock.NowNs();
        var created = evt.TimestampNs != 0 ? evt.TimestampNs : detected;
        var report = new RuleActionReport(rule.Action, RuleActionReport.Performed, "user_space")
        {
            Signal = rule.Action == "block" ? null : rule.Signal, Scope = rule.Scope, CreatedAtNs = created, DetectedAtNs = detected,
        };
        var executable = subject.Executable.Path;
        if (evt.Kind == KernelEventKind.Exec && _guard?.Take(subject.Pid, evt.TimestampNs) is { } kernel)
        {
            if (!kernel.Hold && kernel.Outcome == ExecGuardMaps.Performed)
            {
                _ = Guard.Record(rule.Rule.Id, executable);
                return report with { Mechanism = "ebpf_kill", ActedAtNs = Math.Max(kernel.TimestampWallNs, created) };
            }
            if (kernel.Outcome == ExecGuardMaps.RateLimited)
                return report with { Status = RuleActionReport.Refused, Mechanism = "ebpf_kill", Reason = "rate_limited" };
            if (kernel.Hold && kernel.Outcome == ExecGuardMaps.Performed) return Decide(rule, report with { Mechanism = "hold" }, subject, held: true);
        }
        if (rule.Action == "block") report = report with { Reason = _gate?.Running == true ? "exec not gated (mount not marked)" : "fanotify gate unavailable: killed after the exec" };
        return Decide(rule, report, subject, held: false);
    }

    /// <summary>Safeguards, then the rule's guard, then the signal (a held process is resumed when nothing kills it).</summary>
    private RuleActionReport Decide(ProtectedRule rule, RuleActionReport report, ProcessEntry subject, bool held)
    {
        var refusal = Safeguards.Refusal(subject.Pid, subject.Ppid, subject.Executable.Path);
        var verdict = refusal is null ? Guard.Check(rule.Rule.Id, subject.Executable.Path) : GuardVerdict.Allowed;
        if (refusal is not null || verdict != GuardVerdict.Allowed)
        {
            if (held) _ = ProcessKiller.Signal(subject.Pid, ProcessKiller.SIGCONT);
            return verdict == GuardVerdict.Disarmed
                ? report with { Status = RuleActionReport.Disarmed, DisarmerType = "executable", Reason = null }
                : report with { Status = RuleActionReport.Refused, Reason = refusal ?? "rate_limited" };
        }
        var signal = rule.Action == "block" ? ProcessKiller.SIGKILL : rule.SignalNumber;
        string? error;
        if (rule.Scope == "container")
        {
            if (string.IsNullOrEmpty(subject.ContainerId)) error = "not in a container";
            else
            {
                var failures = ProcessKiller.ContainerMembers(subject.ContainerId)
                    .Where(pid => Safeguards.Refusal(pid, 0, ProcFs.TryReadExe(pid) ?? "") is null)
                    .Select(pid => ProcessKiller.Signal(pid, signal)).Count(e => e is not null);
                error = failures > 0 ? $"{failures} processes could not be signalled" : null;
            }
        }
        else error = ProcessKiller.Signal(subject.Pid, signal, held ? 0 : subject.Executable.Inode);
        var acted = ProtectionClock.NowNs();
        if (held && signal != ProcessKiller.SIGKILL) _ = ProcessKiller.Signal(subject.Pid, ProcessKiller.SIGCONT); // a stopped process only sees SIGTERM once resumed
        if (error is null) return report with { ActedAtNs = acted };
        return report with
        {
            Status = error == "process exited" ? RuleActionReport.NotPerformed : RuleActionReport.Error,
            Reason = report.Reason is null ? error : $"{report.Reason}; {error}",
        };
    }

    private void OnArmingChanged(string ruleId, bool disarmed)
    {
        _log(disarmed
            ? $"protection: rule `{ruleId}` disarmed: it acted on more than {_options.DisarmerMaxExecutables} executables within {_options.DisarmerPeriod.TotalSeconds:0}s"
            : $"protection: rule `{ruleId}` re-armed");
        foreach (var rule in Plan.Where(p => p.Rule.Id == ruleId)) _guard?.SetArmed(rule.Slot, !disarmed);
    }

    private void Count(RuleActionReport report) => _counters.AddOrUpdate($"{report.Mechanism}:{report.Status}", 1, (_, n) => n + 1);

    /// <summary>Status lines: the rules and their mechanisms, each kernel part, and what the actions did.</summary>
    public IReadOnlyList<string> StatusLines()
    {
        var lines = new List<string>();
        if (Plan.Count == 0)
        {
            lines.Add("protection: monitoring only (no rule carries a kill or block action)");
            return lines;
        }
        var byMechanism = Plan.GroupBy(p => p.Mechanism).Select(g => $"{Name(g.Key)} {g.Count()}");
        lines.Add($"protection: {Plan.Count} blocking rules ({string.Join(", ", byMechanism)})");
        if (_guard is not null)
        {
            var (released, timedOut) = _guard.HoldCounters;
            lines.Add($"  exec guard (eBPF): {_guard.Status}; held and resumed {released}, resumed on timeout {timedOut}");
        }
        if (_gate is not null) lines.Add($"  exec gate (fanotify): {_gate.Status}; {_gate.Counters.Decisions} decisions, {_gate.Counters.Denied} denied");
        if (!_counters.IsEmpty) lines.Add("  actions: " + string.Join(", ", _counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
        if (Guard.DisarmedRules() is { Count: > 0 } disarmed) lines.Add("  disarmed: " + string.Join(", ", disarmed));
        return lines;
    }

    public static string Name(ProtectionMechanism mechanism) => mechanism switch
    {
        ProtectionMechanism.FanotifyBlock => "fanotify_block",
        ProtectionMechanism.EbpfKill => "ebpf_kill",
        ProtectionMechanism.Hold => "hold",
        _ => "user_space",
    };

    public void Dispose()
    {
        _gate?.Dispose();
        _guard?.Dispose();
        _blockedReports.Writer.TryComplete();
        _reporter?.Wait(TimeSpan.FromSeconds(5));
    }
}
