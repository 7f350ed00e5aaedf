using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
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

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private readonly ArrayBufferWriter<byte> _fragmentBuffer = new(4096);
    private readonly Dictionary<string, string> _categories = new(StringComparer.Ordinal);

    /// <summary>The agent event as a JSON tree (tests, tools); the pipeline uses <see cref="Write"/>.</summary>
    public JsonObject Serialize(SeclRule rule, SeclEvent secl, KernelEvent evt, ProcessEntry subject, ProcessCache cache)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, rule, secl, evt, subject, cache);
        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    /// <summary>
    /// Writes the agent event as UTF-8 JSON. The parent and ancestors are copied from each process's cached JSON:
    /// rebuilding them for every event of their descendants was most of the agent's cost in an exec storm.
    /// </summary>
    public void Write(Utf8JsonWriter writer, SeclRule rule, SeclEvent secl, KernelEvent evt, ProcessEntry subject, ProcessCache cache,
        JsonArray? ruleActions = null)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("agent"u8);
        writer.WriteString("rule_id"u8, rule.Id);
        writer.WriteString("rule_version"u8, rule.Version);
        writer.WriteString("policy_name"u8, rule.PolicyName);
        writer.WriteString("version"u8, AgentSettings.Version);
        writer.WriteString("os"u8, "linux");
        writer.WriteString("arch"u8, Arch);
        writer.WriteString("origin"u8, "vigil");
        writer.WriteString("kernel_version"u8, Kernel);
        if (ruleActions is not null)
        {
            writer.WritePropertyName("rule_actions"u8); // Active Protection's outcomes (kill, block)
            ruleActions.WriteTo(writer);
        }
        writer.WriteEndObject();
        writer.WriteString("title"u8, rule.Description.Length > 0 ? rule.Description : $"Rule {rule.Id} matched");
        WriteDate(writer, "date"u8, evt.TimestampNs);
        writer.WriteStartObject("evt"u8);
        writer.WriteString("name"u8, secl.EventType);
        writer.WriteString("category"u8, Category(secl.EventType));
        writer.WriteBoolean("async"u8, false);
        writer.WriteEndObject();
        writer.WritePropertyName("process"u8);
        WriteProcessTree(writer, subject, CredentialsDestination(secl.EventType, evt));
        if (subject.ContainerId is { Length: > 0 } container)
        {
            writer.WriteStartObject("container"u8);
            writer.WriteString("id"u8, container);
            writer.WriteEndObject();
        }
        if (secl.EventType != "exec")
        {
            var sections = new JsonObject();
            AddEventSection(sections, secl.EventType, evt, cache);
            foreach (var (name, value) in sections)
            {
                writer.WritePropertyName(name);
                if (value is null) writer.WriteNullValue();
                else value.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }

    private string Category(string eventType)
    {
        if (_categories.TryGetValue(eventType, out var category)) return category;
        category = SeclModelDefinition.EventTypes.FirstOrDefault(t => t.Name == eventType)?.Category is { } c ? $"{c} Activity" : "Kernel Activity";
        _categories[eventType] = category;
        return category;
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
        }
    }

    /// <summary>set*id and capset: the credentials after the call, reported as <c>process.credentials.destination</c>.</summary>
    private JsonObject? CredentialsDestination(string type, KernelEvent evt)
    {
        if (type is not ("setuid" or "setgid" or "capset")) return null;
        var c = evt.Credentials;
        var (uid, euid, fsuid) = type == "setuid" ? SeclEventBuilder.NewIds(evt.Syscall, evt.Args, c.Uid, c.Euid, c.Fsuid, true) : (c.Uid, c.Euid, c.Fsuid);
        var (gid, egid, fsgid) = type == "setgid" ? SeclEventBuilder.NewIds(evt.Syscall, evt.Args, c.Gid, c.Egid, c.Fsgid, false) : (c.Gid, c.Egid, c.Fsgid);
        var (effective, permitted) = type == "capset" ? SeclEventBuilder.CapsetValues(evt.Data) : ((long)c.CapEffective, (long)c.CapPermitted);
        return new JsonObject
        {
            ["uid"] = uid, ["user"] = users.User((uint)uid), ["euid"] = euid, ["euser"] = users.User((uint)euid),
            ["fsuid"] = fsuid, ["fsuser"] = users.User((uint)fsuid), ["gid"] = gid, ["group"] = users.Group((uint)gid),
            ["egid"] = egid, ["egroup"] = users.Group((uint)egid), ["fsgid"] = fsgid, ["fsgroup"] = users.Group((uint)fsgid),
            ["cap_effective"] = new JsonArray([.. CapabilityNames(effective).Select(n => (JsonNode?)n)]),
            ["cap_permitted"] = new JsonArray([.. CapabilityNames(permitted).Select(n => (JsonNode?)n)]),
        };
    }

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
