using static Vigil.Core.Secl.Model.SeclFieldFlags;
using static Vigil.Core.Secl.Model.SeclValueType;

namespace Vigil.Core.Secl.Model;

/// <summary>
/// The one definition of the Linux SECL model: field families (file, process, network address ...)
/// mounted under prefixes per event type. Everything else (binder, evaluator, JSON reader, docs) is
/// derived from <see cref="Fields"/>, so they cannot drift. Coverage is checked against Datadog's
/// published catalogue by a test.
/// </summary>
public static partial class SeclModelDefinition
{
    /// <summary>A family member: SECL suffix, type, flags, constants group, JSON suffix (null: not serialised).</summary>
    internal readonly record struct Member(string Suffix, SeclValueType Type, SeclFieldFlags Flags = None, string? Constants = null,
        string? Json = "", SeclFieldDerivation Derivation = SeclFieldDerivation.Stored, string? Source = null);

    /// <summary>A field before ids are assigned.</summary>
    public readonly record struct FieldSpec(string Name, string EventType, SeclValueType Type, SeclFieldFlags Flags, string? Iterator,
        string? Constants, string? JsonPath, SeclFieldDerivation Derivation, string? Source);

    private static Member M(string suffix, SeclValueType type, SeclFieldFlags flags = None, string? constants = null, string? json = "") =>
        new(suffix, type, flags, constants, json);

    private static Member D(string suffix, SeclValueType type, SeclFieldDerivation derivation, string source, SeclFieldFlags flags = None) =>
        new(suffix, type, flags, null, null, derivation, source);

    internal static readonly Member[] File =
    [
        M("path", SeclValueType.String, FilePath),
        D("path.length", Int, SeclFieldDerivation.Length, "path"),
        M("name", SeclValueType.String),
        D("name.length", Int, SeclFieldDerivation.Length, "name"),
        M("extension", SeclValueType.String),
        M("inode", Int),
        M("mount_id", Int),
        M("mount_visible", Bool),
        M("mount_detached", Bool),
        M("filesystem", SeclValueType.String),
        M("mode", Int, None, "Inode mode constants"),
        D("rights", Int, SeclFieldDerivation.Rights, "mode") with { Constants = "File mode constants" },
        M("uid", Int),
        M("gid", Int),
        M("user", SeclValueType.String),
        M("group", SeclValueType.String),
        M("change_time", Int, Timestamp),
        M("modification_time", Int, Timestamp),
        M("in_upper_layer", Bool),
        M("hashes", SeclValueType.String, List),
        M("package.name", SeclValueType.String, None, null, "package_name"),
        M("package.version", SeclValueType.String, None, null, "package_version"),
        M("package.release", SeclValueType.String, None, null, "package_release"),
        M("package.epoch", Int, None, null, "package_epoch"),
        M("package.source_version", SeclValueType.String, None, null, "package_source_version"),
        M("package.source_release", SeclValueType.String, None, null, "package_source_release"),
        M("package.source_epoch", Int, None, null, "package_source_epoch"),
    ];

    /// <summary>The process family without its executable and interpreter files (mounted separately).</summary>
    internal static readonly Member[] ProcessOwn =
    [
        M("pid", Int), M("ppid", Int), M("tid", Int), M("sid", Int, None, null, null),
        M("mntns", Int, None, null, null), M("netns", Int, None, null, null),
        M("comm", SeclValueType.String), M("tty_name", SeclValueType.String, None, null, "tty"),
        M("created_at", Int, Timestamp, null, "fork_time"),
        M("is_thread", Bool), M("is_kworker", Bool), M("is_exec", Bool, None, null, "is_exec_child"),
        M("argv", SeclValueType.String, List, null, "args"),
        M("argv0", SeclValueType.String),
        D("args", SeclValueType.String, SeclFieldDerivation.ArgsString, "argv"),
        D("args_flags", SeclValueType.String, SeclFieldDerivation.ArgsFlags, "argv", List),
        D("args_options", SeclValueType.String, SeclFieldDerivation.ArgsOptions, "argv", List),
        M("args_truncated", Bool),
        M("envs", SeclValueType.String, List),
        M("envp", SeclValueType.String, List, null, null),
        M("envs_truncated", Bool),
        M("uid", Int, None, null, "credentials.uid"), M("gid", Int, None, null, "credentials.gid"),
        M("euid", Int, None, null, "credentials.euid"), M("egid", Int, None, null, "credentials.egid"),
        M("fsuid", Int, None, null, "credentials.fsuid"), M("fsgid", Int, None, null, "credentials.fsgid"),
        M("auid", Int, None, null, "credentials.auid"),
        M("user", SeclValueType.String, None, null, "credentials.user"), M("group", SeclValueType.String, None, null, "credentials.group"),
        M("euser", SeclValueType.String, None, null, "credentials.euser"), M("egroup", SeclValueType.String, None, null, "credentials.egroup"),
        M("fsuser", SeclValueType.String, None, null, "credentials.fsuser"), M("fsgroup", SeclValueType.String, None, null, "credentials.fsgroup"),
        M("cap_effective", Int, None, "Kernel Capability constants", "credentials.cap_effective"),
        M("cap_permitted", Int, None, "Kernel Capability constants", "credentials.cap_permitted"),
        M("caps_attempted", Int, None, "Kernel Capability constants"),
        M("caps_used", Int, None, "Kernel Capability constants"),
        M("container.id", SeclValueType.String), M("container.created_at", Int, Timestamp),
        M("container.tags", SeclValueType.String, List),
        M("cgroup.id", SeclValueType.String), M("cgroup.version", Int), M("cgroup.created_at", Int, Timestamp),
        M("cgroup.file.inode", Int, None, null, null), M("cgroup.file.mount_id", Int, None, null, null),
        M("user_session.id", SeclValueType.String), M("user_session.identity", SeclValueType.String, None, null, null),
        M("user_session.session_type", Int, None, "UserSessionTypes"),
        M("user_session.k8s_username", SeclValueType.String), M("user_session.k8s_uid", SeclValueType.String),
        M("user_session.k8s_groups", SeclValueType.String, List), M("user_session.k8s_session_id", Int, None, null, null),
        M("user_session.ssh_session_id", Int, None, null, null), M("user_session.ssh_client_ip", Ip),
        M("user_session.ssh_client_port", Int, None, null, "user_session.ssh_port"),
        M("user_session.ssh_auth_method", Int, None, "SSHAuthMethod"), M("user_session.ssh_public_key", SeclValueType.String),
    ];

    /// <summary>Network endpoint (<c>ip</c>, <c>port</c>, <c>is_public</c>).</summary>
    internal static readonly Member[] Endpoint = [M("ip", Ip), M("port", Int), M("is_public", Bool)];

    internal static readonly Member[] NetworkContext =
    [
        M("device.ifname", SeclValueType.String), M("device.netns", Int, None, null, null),
        M("l3_protocol", Int, None, "L3 protocols"), M("l4_protocol", Int, None, "L4 protocols"),
        M("network_direction", Int, None, "Network directions"), M("size", Int), M("type", Int, None, "Network Protocol Types"),
        .. Prefix("source", Endpoint), .. Prefix("destination", Endpoint),
    ];

    private static Member[] Prefix(string prefix, Member[] members, string? jsonPrefix = "") =>
        [.. members.Select(m => m with
        {
            Suffix = $"{prefix}.{m.Suffix}",
            Json = m.Json is null || jsonPrefix is null ? null : $"{(jsonPrefix.Length == 0 ? prefix : jsonPrefix)}.{(m.Json.Length == 0 ? m.Suffix : m.Json)}",
            Source = m.Source is null ? null : $"{prefix}.{m.Source}",
        })];

    /// <summary>The full process family: own fields, executable under <c>file</c> (JSON <c>executable</c>), interpreter.</summary>
    internal static readonly Member[] Process =
    [
        .. ProcessOwn,
        .. Prefix("file", File, "executable"),
        .. Prefix("interpreter.file", File, "interpreter"),
    ];
}
