using static Vigil.Core.Secl.Model.SeclFieldFlags;
using static Vigil.Core.Secl.Model.SeclValueType;

namespace Vigil.Core.Secl.Model;

public static partial class SeclModelDefinition
{
    /// <summary>Linux event types with Datadog's category and first agent version.</summary>
    public static readonly IReadOnlyList<SeclEventType> EventTypes =
    [
        new("accept", "Network", "7.63"), new("bind", "Network", "7.37"), new("bpf", "Kernel", "7.33"),
        new("capabilities", "Process", "7.70", true), new("capset", "Process", "7.27"), new("cgroup_write", "Kernel", "7.68"),
        new("chdir", "File", "7.52", true), new("chmod", "File", "7.27"), new("chown", "File", "7.27"),
        new("connect", "Network", "7.60"), new("dns", "Network", "7.36"), new("exec", "Process", "7.27"),
        new("exit", "Process", "7.38"), new("imds", "Network", "7.55"), new("link", "File", "7.27"),
        new("load_module", "Kernel", "7.35"), new("mkdir", "File", "7.27"), new("mmap", "Kernel", "7.35"),
        new("mount", "File", "7.42", true), new("mprotect", "Kernel", "7.35"), new("network_flow_monitor", "Network", "7.63"),
        new("open", "File", "7.27"), new("packet", "Network", "7.60"), new("prctl", "Process", "7.71"),
        new("ptrace", "Kernel", "7.35"), new("removexattr", "File", "7.27"), new("rename", "File", "7.27"),
        new("rmdir", "File", "7.27"), new("selinux", "Kernel", "7.30"), new("setgid", "Process", "7.27"),
        new("setrlimit", "Process", "7.68"), new("setsockopt", "Network", "7.68"), new("setuid", "Process", "7.27"),
        new("setxattr", "File", "7.27"), new("signal", "Process", "7.35"), new("socket", "Network", "7.81"),
        new("splice", "File", "7.36"), new("sysctl", "Kernel", "7.65"), new("unlink", "File", "7.27"),
        new("unload_module", "Kernel", "7.35"), new("unshare", "Kernel", "7.83"), new("utimes", "File", "7.27"),
    ];

    /// <summary>Every field of the model, before ids are assigned (a name may appear for several event types).</summary>
    public static IEnumerable<FieldSpec> Fields()
    {
        var list = new List<FieldSpec>();
        BuildContext(list);
        BuildProcessEvents(list);
        BuildFileEvents(list);
        BuildKernelEvents(list);
        BuildNetworkEvents(list);
        return list;
    }

    private static void Mount(List<FieldSpec> list, string eventType, string prefix, string? jsonPrefix, IEnumerable<Member> members, string? iterator = null)
    {
        foreach (var m in members)
        {
            var json = m.Json is null || jsonPrefix is null ? null : Join(jsonPrefix, m.Json.Length == 0 ? m.Suffix : m.Json);
            list.Add(new FieldSpec(Join(prefix, m.Suffix), eventType, m.Type, m.Flags, iterator, m.Constants, json, m.Derivation,
                m.Source is null ? null : Join(prefix, m.Source)));
        }
    }

    private static string Join(string prefix, string suffix) => prefix.Length == 0 ? suffix : $"{prefix}.{suffix}";

    /// <summary>A process with its parent and iterated ancestors (process.*, ptrace.tracee.*, signal.target.*).</summary>
    private static void MountProcessTree(List<FieldSpec> list, string eventType, string prefix, string json)
    {
        Mount(list, eventType, prefix, json, Process);
        Mount(list, eventType, $"{prefix}.parent", $"{json}.parent", Process);
        Mount(list, eventType, $"{prefix}.ancestors", $"{json}.ancestors", Process, $"{prefix}.ancestors");
        list.Add(new FieldSpec($"{prefix}.ancestors.length", eventType, Int, None, null, null, null, SeclFieldDerivation.Length, $"{prefix}.ancestors"));
    }

    private static void BuildContext(List<FieldSpec> list)
    {
        const string any = SeclField.AnyEventType;
        Mount(list, any, "event", "evt",
        [
            M("async", Bool), M("hostname", SeclValueType.String, None, null, null), M("origin", SeclValueType.String, None, null, null),
            M("os", SeclValueType.String, None, null, null), M("rule.tags", SeclValueType.String, List, null, null),
            M("service", SeclValueType.String, None, null, null), M("signature", SeclValueType.String, None, null, null),
            M("source", SeclValueType.String, None, null, null), M("timestamp", Int, Timestamp, null, null),
        ]);
        MountProcessTree(list, any, "process", "process");
        // Legacy top-level names Datadog still accepts (the default policy uses container.id).
        foreach (var (alias, source) in new[]
                 {
                     ("container.id", "process.container.id"), ("container.created_at", "process.container.created_at"),
                     ("container.tags", "process.container.tags"), ("cgroup.id", "process.cgroup.id"),
                     ("cgroup.version", "process.cgroup.version"), ("cgroup.created_at", "process.cgroup.created_at"),
                 })
        {
            list.Add(new FieldSpec(alias, any, default, None, null, null, null, SeclFieldDerivation.Alias, source));
        }
    }

    private static void BuildProcessEvents(List<FieldSpec> list)
    {
        Mount(list, "exec", "exec", "process", Process);
        Mount(list, "exec", "exec", null,
        [
            M("syscall.path", SeclValueType.String, FilePath),
            M("file.metadata.abi", Int, None, "ABI"), M("file.metadata.architecture", Int, None, "Architecture"),
            M("file.metadata.compression", Int, None, "CompressionType"), M("file.metadata.is_executable", Bool),
            M("file.metadata.is_garble_obfuscated", Bool), M("file.metadata.is_upx_packed", Bool),
            M("file.metadata.size", Int), M("file.metadata.type", Int, None, "FileType"),
        ]);
        Mount(list, "exit", "exit", "process", Process);
        Mount(list, "exit", "exit", "exit", [M("cause", Int), M("code", Int)]);
        Mount(list, "setuid", "setuid", null,
            [M("uid", Int), M("euid", Int), M("fsuid", Int), M("user", SeclValueType.String), M("euser", SeclValueType.String), M("fsuser", SeclValueType.String)]);
        Mount(list, "setgid", "setgid", null,
            [M("gid", Int), M("egid", Int), M("fsgid", Int), M("group", SeclValueType.String), M("egroup", SeclValueType.String), M("fsgroup", SeclValueType.String)]);
        Mount(list, "capset", "capset", null,
            [M("cap_effective", Int, None, "Kernel Capability constants"), M("cap_permitted", Int, None, "Kernel Capability constants")]);
        Mount(list, "capabilities", "capabilities", "capabilities",
            [M("attempted", Int, None, "Kernel Capability constants"), M("used", Int, None, "Kernel Capability constants")]);
        Mount(list, "prctl", "prctl", "prctl",
            [M("option", Int), M("new_name", SeclValueType.String), M("is_name_truncated", Bool), Retval]);
        Mount(list, "signal", "signal", "signal", [M("type", Int, None, "Signal constants"), M("pid", Int), Retval]);
        MountProcessTree(list, "signal", "signal.target", "signal.target");
        Mount(list, "setrlimit", "setrlimit", null,
            [M("resource", Int, None, "Resource limit types"), M("rlim_cur", Int), M("rlim_max", Int), Retval]);
        MountProcessTree(list, "setrlimit", "setrlimit.target", "setrlimit.target");
    }

    private static Member Retval => M("retval", Int, None, "Error constants", null);

    private static readonly Member[] SyscallPath = [M("syscall.path", SeclValueType.String, FilePath, null, null)];

    private static void MountFileEvent(List<FieldSpec> list, string eventType, params Member[] extra)
    {
        Mount(list, eventType, $"{eventType}.file", "file", File);
        Mount(list, eventType, eventType, null, [Retval]);
        Mount(list, eventType, eventType, "", extra);
    }

    private static void BuildFileEvents(List<FieldSpec> list)
    {
        Member[] destinationMode =
        [
            M("file.destination.mode", Int, None, "File mode constants"),
            M("file.destination.rights", Int, None, "File mode constants"),
        ];
        MountFileEvent(list, "open",
        [
            M("flags", Int, None, "Open flags", "file.flags"), M("file.destination.mode", Int, None, "File mode constants"),
            M("syscall.flags", Int, None, null, null), M("syscall.mode", Int, None, null, null), .. SyscallPath,
        ]);
        MountFileEvent(list, "chmod", [.. destinationMode, M("syscall.mode", Int, None, null, null), .. SyscallPath]);
        MountFileEvent(list, "mkdir", [.. destinationMode, M("syscall.mode", Int, None, null, null), .. SyscallPath]);
        MountFileEvent(list, "chown",
        [
            M("file.destination.uid", Int), M("file.destination.gid", Int),
            M("file.destination.user", SeclValueType.String), M("file.destination.group", SeclValueType.String),
            M("syscall.uid", Int, None, null, null), M("syscall.gid", Int, None, null, null), .. SyscallPath,
        ]);
        foreach (var twoFiles in new[] { "link", "rename" })
        {
            MountFileEvent(list, twoFiles, [.. SyscallPath, M("syscall.destination.path", SeclValueType.String, FilePath, null, null)]);
            Mount(list, twoFiles, $"{twoFiles}.file.destination", "file.destination", File);
        }
        MountFileEvent(list, "unlink",
            [M("flags", Int, None, "Unlink flags", null), M("syscall.dirfd", Int, None, null, null), M("syscall.flags", Int, None, null, null), .. SyscallPath]);
        foreach (var simple in new[] { "rmdir", "utimes", "chdir" }) MountFileEvent(list, simple, SyscallPath);
        foreach (var xattr in new[] { "setxattr", "removexattr" })
        {
            MountFileEvent(list, xattr,
                [M("file.destination.name", SeclValueType.String, None, null, "file.attribute_name"), M("file.destination.namespace", SeclValueType.String, None, null, "file.attribute_namespace")]);
        }
        MountFileEvent(list, "splice",
            [M("pipe_entry_flag", Int, None, "Pipe buffer flags", "splice.pipe_entry_flag"), M("pipe_exit_flag", Int, None, "Pipe buffer flags", "splice.pipe_exit_flag")]);
        Mount(list, "mount", "mount", "mount",
        [
            M("fs_type", SeclValueType.String), M("mountpoint.path", SeclValueType.String, FilePath), M("source.path", SeclValueType.String, FilePath),
            M("root.path", SeclValueType.String, FilePath, null, null), M("detached", Bool), M("visible", Bool), Retval,
            M("syscall.fs_type", SeclValueType.String, None, null, null), M("syscall.mountpoint.path", SeclValueType.String, FilePath, null, null),
            M("syscall.source.path", SeclValueType.String, FilePath, null, null),
        ]);
    }
}
