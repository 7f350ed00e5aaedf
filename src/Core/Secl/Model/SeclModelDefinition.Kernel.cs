using static Vigil.Core.Secl.Model.SeclFieldFlags;
using static Vigil.Core.Secl.Model.SeclValueType;

namespace Vigil.Core.Secl.Model;

public static partial class SeclModelDefinition
{
    private static void BuildKernelEvents(List<FieldSpec> list)
    {
        MountFileEvent(list, "mmap", [M("flags", Int, None, "MMap flags", "mmap.flags"), M("protection", Int, None, "Protection constants", "mmap.protection")]);
        Mount(list, "mprotect", "mprotect", "mprotect",
            [M("req_protection", Int, None, "Virtual Memory flags"), M("vm_protection", Int, None, "Virtual Memory flags"), Retval]);
        MountFileEvent(list, "load_module",
        [
            M("name", SeclValueType.String, None, null, "module.name"), M("argv", SeclValueType.String, List, null, "module.argv"),
            D("args", SeclValueType.String, SeclFieldDerivation.ArgsString, "argv"),
            M("args_truncated", Bool, None, null, "module.args_truncated"), M("loaded_from_memory", Bool, None, null, "module.loaded_from_memory"),
        ]);
        Mount(list, "unload_module", "unload_module", "module", [M("name", SeclValueType.String), Retval]);
        Mount(list, "cgroup_write", "cgroup_write.file", "file", File);
        Mount(list, "cgroup_write", "cgroup_write", "cgroup_write", [M("pid", Int)]);
        Mount(list, "ptrace", "ptrace", "ptrace", [M("request", Int, None, "Ptrace constants"), Retval]);
        MountProcessTree(list, "ptrace", "ptrace.tracee", "ptrace.tracee");
        Mount(list, "bpf", "bpf", "bpf",
        [
            M("cmd", Int, None, "BPF commands"), M("map.name", SeclValueType.String), M("map.type", Int, None, "BPF map types", "map.map_type"),
            M("prog.name", SeclValueType.String, None, null, "program.name"), M("prog.tag", SeclValueType.String, None, null, "program.tag"),
            M("prog.type", Int, None, "BPF program types", "program.program_type"), M("prog.attach_type", Int, None, "BPF attach types", "program.attach_type"),
            M("prog.helpers", Int, List, "BPF helper functions", "program.helpers"), Retval,
        ]);
        Mount(list, "selinux", "selinux", "selinux",
        [
            M("bool.name", SeclValueType.String), M("bool.state", SeclValueType.String),
            M("bool_commit.state", Bool), M("enforce.status", SeclValueType.String, None, null, "enforce.status"),
        ]);
        Mount(list, "sysctl", "sysctl", "sysctl",
        [
            M("action", Int, None, "SysCtl Actions"), M("file_position", Int), M("name", SeclValueType.String), M("name_truncated", Bool),
            M("value", SeclValueType.String), M("value_truncated", Bool), M("old_value", SeclValueType.String), M("old_value_truncated", Bool),
        ]);
        Mount(list, "unshare", "unshare", null, [M("flags", Int, None, "Clone flags"), Retval]);
    }

    private static void BuildNetworkEvents(List<FieldSpec> list)
    {
        foreach (var withNetwork in new[] { "dns", "imds", "packet" }) Mount(list, withNetwork, "network", "network", NetworkContext);

        Mount(list, "dns", "dns", "dns",
        [
            M("id", Int), M("question.name", SeclValueType.String, CaseInsensitive),
            D("question.name.length", Int, SeclFieldDerivation.Length, "question.name"),
            D("question.name.root_domain", SeclValueType.String, SeclFieldDerivation.RootDomain, "question.name", CaseInsensitive),
            M("question.type", Int, None, "DNS qtypes"), M("question.class", Int, None, "DNS qclasses"),
            M("question.length", Int, None, null, "question.size"), M("question.count", Int),
            M("response.code", Int, None, "DNS Responses"), M("response.cnames", SeclValueType.String, List | CaseInsensitive),
            M("response.ips", Ip, List),
        ]);
        Mount(list, "imds", "imds", "imds",
        [
            M("type", SeclValueType.String), M("cloud_provider", SeclValueType.String), M("url", SeclValueType.String),
            M("host", SeclValueType.String), M("user_agent", SeclValueType.String), M("server", SeclValueType.String),
            M("aws.is_imds_v2", Bool), M("aws.security_credentials.type", SeclValueType.String),
        ]);
        Member[] address = [M("addr.ip", Ip), M("addr.port", Int), M("addr.is_public", Bool), M("addr.family", Int), Retval];
        Member[] hostname =
        [
            M("addr.hostname", SeclValueType.String, CaseInsensitive, null, "hostnames"),
            D("addr.hostname.length", Int, SeclFieldDerivation.Length, "addr.hostname"),
            D("addr.hostname.root_domain", SeclValueType.String, SeclFieldDerivation.RootDomain, "addr.hostname", CaseInsensitive),
        ];
        Mount(list, "bind", "bind", "bind", [.. address, M("protocol", Int)]);
        Mount(list, "connect", "connect", "connect", [.. address, .. hostname, M("protocol", Int)]);
        Mount(list, "accept", "accept", "accept", [.. address, .. hostname]);
        Mount(list, "socket", "socket", null, [M("domain", Int, None, "Socket domains"), M("type", Int, None, "Socket types"), M("protocol", Int, None, "Socket protocols"), Retval]);
        Mount(list, "setsockopt", "setsockopt", "setsockopt",
        [
            M("level", Int, None, "SetSockopt Levels"), M("optname", Int, None, "SetSockopt Options"),
            M("socket_type", Int), M("socket_family", Int), M("socket_protocol", Int),
            M("filter_len", Int), M("filter_instructions", SeclValueType.String), M("filter_hash", SeclValueType.String),
            M("is_filter_truncated", Bool), M("used_immediates", Int, List), Retval,
        ]);
        Mount(list, "packet", "packet", "packet",
        [
            M("filter", SeclValueType.String, None, null, null), M("tls.version", Int),
            .. NetworkContext,
        ]);
        Mount(list, "network_flow_monitor", "network_flow_monitor", "network_flow_monitor",
            [M("device.ifname", SeclValueType.String), M("device.netns", Int, None, null, null)]);
        Mount(list, "network_flow_monitor", "network_flow_monitor.flows", "network_flow_monitor.flows",
        [
            M("l3_protocol", Int, None, "L3 protocols"), M("l4_protocol", Int, None, "L4 protocols"),
            .. Prefix("source", Endpoint), .. Prefix("destination", Endpoint),
            M("ingress.data_size", Int), M("ingress.packet_count", Int), M("egress.data_size", Int), M("egress.packet_count", Int),
        ], "network_flow_monitor.flows");
        list.Add(new FieldSpec("network_flow_monitor.flows.length", "network_flow_monitor", Int, None, null, null, null,
            SeclFieldDerivation.Length, "network_flow_monitor.flows"));
    }
}
