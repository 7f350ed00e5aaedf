using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;

namespace Vigil.Agent.Protection;

/// <summary>How a protection rule acts, fastest first.</summary>
public enum ProtectionMechanism
{
    /// <summary>fanotify FAN_OPEN_EXEC_PERM: the execve fails with EPERM before the binary is loaded (block actions).</summary>
    FanotifyBlock,
    /// <summary>SIGKILL from the eBPF exec program: the process dies before its first instruction (name/inode rules).</summary>
    EbpfKill,
    /// <summary>SIGSTOP from the eBPF exec program, then the whole SECL rule decides: SIGKILL or SIGCONT (argv/env rules).</summary>
    Hold,
    /// <summary>Signal from user space after the event: the process may already have run for a while.</summary>
    UserSpace,
}

/// <summary>A rule with a kill or block action, the mechanism it gets and what the kernel pre-selects it by.</summary>
public sealed record ProtectedRule(SeclRule Rule, int Slot, string Action, string Signal, int SignalNumber, string Scope, ProtectionMechanism Mechanism)
{
    /// <summary>Executable names (exact) the kernel kills or holds for this rule.</summary>
    public IReadOnlySet<string> Names { get; init; } = new HashSet<string>();
    public IReadOnlySet<long> Inodes { get; init; } = new HashSet<long>();
    /// <summary>Substrings every matching argv contains (the kernel holds execs whose argv has one).</summary>
    public IReadOnlyList<string> Needles { get; init; } = [];
    /// <summary>Why this mechanism (shown by status and the docs' examples).</summary>
    public string Why { get; init; } = "";
}

/// <summary>
/// Chooses each protection rule's mechanism from its compiled expression: a kill rule that reads only the
/// executable's name (or inode) is killed in the kernel, after checking each name with the rule itself; other
/// exec rules are held in the kernel when a name or argv needle pre-selects them, else acted on from user space.
/// </summary>
public static class ProtectionPlanner
{
    public const int MaxNameLength = 62; // the kernel compares 63 bytes + NUL
    public const int KernelRuleSlots = 64; // PROTECT_RULES in Bpf/protect.h
    private static readonly string[] NameFields = ["exec.file.name", "process.file.name"];
    private static readonly string[] InodeFields = ["exec.file.inode", "process.file.inode"];

    public static IReadOnlyList<ProtectedRule> Plan(IEnumerable<SeclRule> rules, bool kernelAvailable, bool fanotifyAvailable)
    {
        var plan = new List<ProtectedRule>();
        var needleBudget = ArgvNeedles.MaxNeedles;
        foreach (var rule in rules)
        {
            var action = rule.OtherActions.FirstOrDefault(a => a.Kind is "kill" or "block");
            if (action is null) continue;
            var signal = action.Parameters.GetValueOrDefault("signal") ?? "SIGKILL";
            var number = SeclConstants.Groups["Signal constants"].TryGetValue(signal, out var value) ? (int)value : 9;
            var scope = action.Parameters.GetValueOrDefault("scope") ?? "process";
            var entry = new ProtectedRule(rule, plan.Count, action.Kind, action.Kind == "block" ? "" : signal, number, scope, ProtectionMechanism.UserSpace);
            plan.Add(Choose(entry, kernelAvailable, fanotifyAvailable, ref needleBudget));
        }
        return plan;
    }

    private static ProtectedRule Choose(ProtectedRule entry, bool kernel, bool fanotify, ref int needleBudget)
    {
        var rule = entry.Rule;
        if (rule.EventType != "exec") return entry with { Why = $"{rule.EventType} rule: acted on after the event" };
        if (entry.Action == "block")
            return fanotify ? entry with { Mechanism = ProtectionMechanism.FanotifyBlock, Why = "executable identity: denied at open for exec" }
                : entry with { Why = "fanotify unavailable: killed after the exec instead" };
        if (!kernel) return entry with { Why = "eBPF exec guard unavailable" };
        if (entry.Slot >= KernelRuleSlots) return entry with { Why = $"more than {KernelRuleSlots} protection rules: the kernel has no slot for this one" };
        var fields = rule.Compiled.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var names = ExactStrings(rule.Compiled.Approver, NameFields);
        var killable = entry.SignalNumber == 9 && entry.Scope == "process";
        if (killable && names is not null && fields.All(NameFields.Contains))
        {
            var confirmed = names.Where(n => Matches(rule, n)).ToHashSet(StringComparer.Ordinal);
            if (confirmed.All(n => n.Length <= MaxNameLength))
                return entry with { Mechanism = ProtectionMechanism.EbpfKill, Names = confirmed, Why = "reads only the executable name" };
        }
        var inodes = ExactInts(rule.Compiled.Approver, InodeFields);
        if (killable && inodes is not null && fields.All(InodeFields.Contains))
            return entry with { Mechanism = ProtectionMechanism.EbpfKill, Inodes = inodes, Why = "reads only the executable inode" };
        if (names is not null && names.All(n => n.Length <= MaxNameLength))
            return entry with { Mechanism = ProtectionMechanism.Hold, Names = names, Why = "held by executable name, then the rule decides" };
        if ((ArgvNeedles.FromApprover(rule.Compiled.Approver) ?? ArgvNeedles.Find(rule.Expression)) is { } needles && needles.Count <= needleBudget)
        {
            needleBudget -= needles.Count;
            return entry with { Mechanism = ProtectionMechanism.Hold, Needles = needles, Why = "held by argv substrings, then the rule decides" };
        }
        return entry with { Why = "no name or argv pre-selection: acted on after the exec" };
    }

    /// <summary>Evaluates the rule on an exec event holding only the executable name (exact when the rule reads nothing else).</summary>
    private static bool Matches(SeclRule rule, string name)
    {
        var evt = new SeclEvent("exec").Set("exec.file.name", name).Set("process.file.name", name);
        return rule.Compiled.Evaluate(evt);
    }

    private static HashSet<string>? ExactStrings(SeclApprover? approver, string[] fields)
    {
        if (approver is null || approver.Terms.Count == 0) return null;
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in approver.Terms)
        {
            if (term.Kind != SeclApproverKind.Exact || term.Strings is null || !fields.Contains(term.Field.Name)) return null;
            values.UnionWith(term.Strings);
        }
        return values.Count > 0 ? values : null;
    }

    private static HashSet<long>? ExactInts(SeclApprover? approver, string[] fields)
    {
        if (approver is null || approver.Terms.Count == 0) return null;
        var values = new HashSet<long>();
        foreach (var term in approver.Terms)
        {
            if (term.Kind != SeclApproverKind.Exact || term.Ints is null || !fields.Contains(term.Field.Name)) return null;
            values.UnionWith(term.Ints);
        }
        return values.Count > 0 ? values : null;
    }
}
