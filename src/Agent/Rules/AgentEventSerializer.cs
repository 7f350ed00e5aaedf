using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Vigil.Agent.Probes;
using Vigil.Agent.Process;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;

namespace Vigil.Agent.Rules;

/// <summary>
/// Writes a rule match as Datadog's agent event (testdata schema "datadog-agent-event-linux"): agent
/// (rule id, policy, agent version), title, date, evt, process with parent and ancestors, container, and
/// the event's own section (exit, ptrace, signal, bpf, module, mmap, mprotect, mount). Enums are names.
/// </summary>
public sealed partial class AgentEventSerializer(UserDirectory users)
{
    private static readonly string Kernel = Environment.OSVersion.Version.ToString();
    private static readonly string Arch = RuntimeInformation.OSArchitecture == Architecture.X64 ? "x86_64" : RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    public JsonObject Serialize(SeclRule rule, SeclEvent secl, KernelEvent evt, ProcessEntry subject, ProcessCache cache)
    {
        var root = new JsonObject
        {
            ["agent"] = new JsonObject
            {
                ["rule_id"] = rule.Id, ["rule_version"] = rule.Version, ["policy_name"] = rule.PolicyName,
                ["version"] = AgentSettings.Version, ["os"] = "linux", ["arch"] = Arch, ["origin"] = "vigil", ["kernel_version"] = Kernel,
            },
            ["title"] = rule.Description.Length > 0 ? rule.Description : $"Rule {rule.Id} matched",
            ["date"] = Date(evt.TimestampNs),
            ["evt"] = new JsonObject
            {
                ["name"] = secl.EventType,
                ["category"] = SeclModelDefinition.EventTypes.FirstOrDefault(t => t.Name == secl.EventType)?.Category is { } c ? $"{c} Activity" : "Kernel Activity",
                ["async"] = false,
            },
            ["process"] = ProcessTree(subject),
        };
        if (subject.ContainerId is { Length: > 0 } container) root["container"] = new JsonObject { ["id"] = container };
        AddEventSection(root, secl.EventType, evt, cache);
        return root;
    }

    private void AddEventSection(JsonObject root, string type, KernelEvent evt, ProcessCache cache)
    {
        switch (type)
        {
            case "exit":
                var (cause, code) = SeclEventBuilder.ExitCause(evt.ExitStatus);
                root["exit"] = new JsonObject { ["cause"] = cause switch { 0 => "EXITED", 1 => "COREDUMPED", _ => "KILLED" }, ["code"] = code };
                break;
            case "ptrace":
                var ptrace = new JsonObject { ["request"] = Name("Ptrace constants", evt.Args[0]), ["address"] = Hex(evt.Args[2]) };
                if (cache.Find((int)evt.Args[1]) is { } tracee) ptrace["tracee"] = ProcessTree(tracee);
                root["ptrace"] = ptrace;
                break;
            case "signal":
                var (pid, signal) = evt.Syscall == Syscalls.Tgkill ? (evt.Args[0], evt.Args[2]) : (evt.Args[0], evt.Args[1]);
                var signalSection = new JsonObject { ["type"] = Name("Signal constants", signal), ["pid"] = pid };
                if (pid > 0 && cache.Find((int)pid) is { } target) signalSection["target"] = ProcessTree(target);
                root["signal"] = signalSection;
                break;
            case "bpf":
                root["bpf"] = new JsonObject { ["cmd"] = Name("BPF commands", evt.Args[0]) };
                break;
            case "load_module":
                var fromMemory = evt.Syscall == Syscalls.InitModule;
                var file = fromMemory ? null : SeclEventBuilder.FdPath(evt.Pid, (int)evt.Args[0]);
                root["module"] = new JsonObject
                {
                    ["name"] = file is null ? "" : SeclEventBuilder.ModuleName(file), ["loaded_from_memory"] = fromMemory,
                    ["argv"] = new JsonArray([.. (evt.Str1 ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => (JsonNode?)a)]),
                };
                if (file is not null) root["file"] = new JsonObject { ["path"] = file, ["name"] = Path.GetFileName(file), ["uid"] = 0, ["gid"] = 0 };
                break;
            case "mmap":
                root["mmap"] = new JsonObject
                {
                    ["address"] = Hex(evt.Args[0]), ["offset"] = evt.Args[5], ["length"] = evt.Args[1],
                    ["protection"] = Flags("Protection constants", evt.Args[2]), ["flags"] = Flags("MMap flags", evt.Args[3]),
                };
                break;
            case "mprotect":
                root["mprotect"] = new JsonObject
                {
                    ["vm_start"] = Hex(evt.Args[0]), ["vm_end"] = Hex(evt.Args[0] + evt.Args[1]),
                    ["vm_protection"] = "", ["req_protection"] = Flags("Virtual Memory flags", evt.Args[2]),
                };
                break;
            case "dns":
                root["dns"] = DnsSection(evt.Dns!);
                break;
            case "open" or "chmod" or "chown" or "unlink" or "rename" or "link" or "utimes" or "setxattr" or "mkdir" or "rmdir":
                root["file"] = FileSection(type, evt.File!);
                break;
            case "mount":
                root["mount"] = new JsonObject
                {
                    ["mount_id"] = 0, ["parent_mount_id"] = 0, ["bind_src_mount_id"] = 0, ["device"] = 0,
                    ["fs_type"] = evt.Str2 ?? "", ["mountpoint.path"] = evt.Str1 ?? "", ["source.path"] = evt.Str0 ?? "",
                };
                break;
            case "setuid" or "setgid" or "capset":
                var c = evt.Credentials;
                var (uid, euid, fsuid) = type == "setuid" ? SeclEventBuilder.NewIds(evt.Syscall, evt.Args, c.Uid, c.Euid, c.Fsuid, true) : (c.Uid, c.Euid, c.Fsuid);
                var (gid, egid, fsgid) = type == "setgid" ? SeclEventBuilder.NewIds(evt.Syscall, evt.Args, c.Gid, c.Egid, c.Fsgid, false) : (c.Gid, c.Egid, c.Fsgid);
                var (effective, permitted) = type == "capset" ? SeclEventBuilder.CapsetValues(evt.Data) : ((long)c.CapEffective, (long)c.CapPermitted);
                var credentials = (JsonObject)root["process"]!["credentials"]!;
                credentials["destination"] = new JsonObject
                {
                    ["uid"] = uid, ["user"] = users.User((uint)uid), ["euid"] = euid, ["euser"] = users.User((uint)euid),
                    ["fsuid"] = fsuid, ["fsuser"] = users.User((uint)fsuid), ["gid"] = gid, ["group"] = users.Group((uint)gid),
                    ["egid"] = egid, ["egroup"] = users.Group((uint)egid), ["fsgid"] = fsgid, ["fsgroup"] = users.Group((uint)fsgid),
                    ["cap_effective"] = Capabilities(effective), ["cap_permitted"] = Capabilities(permitted),
                };
                break;
        }
    }

    /// <summary>ProcessContext: the process, its parent and its ancestors (parent first).</summary>
    public JsonObject ProcessTree(ProcessEntry entry)
    {
        var context = Process(entry);
        if (entry.Parent is { } parent) context["parent"] = Process(parent);
        var ancestors = new JsonArray();
        foreach (var ancestor in entry.Ancestors()) ancestors.Add(Process(ancestor));
        if (ancestors.Count > 0) context["ancestors"] = ancestors;
        return context;
    }

    private JsonObject Process(ProcessEntry e)
    {
        var c = e.Credentials;
        var process = new JsonObject
        {
            ["pid"] = e.Pid, ["ppid"] = e.Ppid, ["tid"] = e.Pid, ["uid"] = c.Uid, ["gid"] = c.Gid,
            ["user"] = users.User(c.Uid), ["group"] = users.Group(c.Gid), ["comm"] = e.Comm,
            ["fork_time"] = Date(e.ForkTimeNs), ["exec_time"] = Date(e.ExecTimeNs != 0 ? e.ExecTimeNs : e.ForkTimeNs),
            ["credentials"] = new JsonObject
            {
                ["uid"] = c.Uid, ["user"] = users.User(c.Uid), ["gid"] = c.Gid, ["group"] = users.Group(c.Gid),
                ["euid"] = c.Euid, ["euser"] = users.User(c.Euid), ["egid"] = c.Egid, ["egroup"] = users.Group(c.Egid),
                ["fsuid"] = c.Fsuid, ["fsuser"] = users.User(c.Fsuid), ["fsgid"] = c.Fsgid, ["fsgroup"] = users.Group(c.Fsgid),
                ["auid"] = c.Auid, ["cap_effective"] = Capabilities((long)c.CapEffective), ["cap_permitted"] = Capabilities((long)c.CapPermitted),
            },
            ["executable"] = File(e.Executable),
            ["argv0"] = e.Argv.Length > 0 ? e.Argv[0] : "",
            ["args"] = new JsonArray([.. e.Argv.Skip(1).Select(a => (JsonNode?)a)]),
            ["args_truncated"] = e.ArgsTruncated,
            ["envs"] = new JsonArray([.. e.Envp.Select(v => (JsonNode?)(v.IndexOf('=', StringComparison.Ordinal) is var i and > 0 ? v[..i] : v))]),
            ["envs_truncated"] = e.EnvsTruncated,
            ["is_thread"] = false,
            ["is_exec_child"] = e.IsExec,
            ["source"] = e.Source,
        };
        if (e.ExitTimeNs != 0) process["exit_time"] = Date(e.ExitTimeNs);
        if (e.Tty is not null) process["tty"] = e.Tty;
        if (e.ContainerId is { Length: > 0 } container) process["container"] = new JsonObject { ["id"] = container };
        if (e.Missing.Length > 0) process["path_resolution_error"] = $"not read: {e.Missing}";
        return process;
    }

    private JsonObject File(ExecutableFile f)
    {
        var file = new JsonObject
        {
            ["path"] = f.Path, ["name"] = f.Name, ["uid"] = f.Uid, ["gid"] = f.Gid,
        };
        if (f.Inode == 0)
        {
            file["path_resolution_error"] = f.Path.Length == 0 ? "no executable (kernel thread or unreadable)" : "could not stat the executable";
            return file;
        }
        file["inode"] = f.Inode;
        file["mode"] = f.Mode;
        file["user"] = users.User(f.Uid);
        file["group"] = users.Group(f.Gid);
        file["modification_time"] = Date(f.ModificationTimeNs);
        file["change_time"] = Date(f.ChangeTimeNs);
        file["metadata"] = new JsonObject { ["size"] = f.Size, ["is_executable"] = (f.Mode & 0x49) != 0 };
        return file;
    }

    private static string Date(long unixNs) =>
        DateTimeOffset.UnixEpoch.AddTicks(unixNs / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Hex(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string Name(string group, long value) =>
        SeclConstants.TryGetName(group, value, out var name) ? name : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Bit flags as "A | B" (Datadog's string form for protections and mmap flags).</summary>
    private static string Flags(string group, long value)
    {
        var names = new List<string>();
        for (var bit = 0; bit < 63; bit++)
        {
            var mask = 1L << bit;
            if ((value & mask) != 0) names.Add(SeclConstants.TryGetName(group, mask, out var n) ? n : Hex(mask));
        }
        return names.Count == 0 ? "0" : string.Join(" | ", names);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<long, string[]> CapabilityNames = new();

    /// <summary>Capability names of a mask; few distinct masks exist on a host, so the names are cached per mask.</summary>
    private static JsonArray Capabilities(long mask)
    {
        var names = CapabilityNames.Count < 1024 ? CapabilityNames.GetOrAdd(mask, CapabilityList) : CapabilityList(mask);
        return new JsonArray([.. names.Select(n => (JsonNode?)n)]);
    }

    private static string[] CapabilityList(long mask)
    {
        var names = new List<string>();
        for (var bit = 0; bit < 63; bit++)
        {
            var flag = 1L << bit;
            if ((mask & flag) != 0 && SeclConstants.TryGetName("Kernel Capability constants", flag, out var name)) names.Add(name);
        }
        return [.. names];
    }
}
