using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Vigil.Benchmarks.Pipeline;

/// <summary>One generated agent event: its JSON (UTF-8) and the columns Ingest extracts from it.</summary>
public sealed record GeneratedEvent(byte[] Json, string RuleId, string EventType, string Title, DateTime Timestamp);

/// <summary>
/// Realistic runtime-security agent events in the Datadog agent-event shape: exec, open and dns events with
/// process context (executable, args, envs, parent and ancestors, container, credentials), 1–2 KB each.
/// Deterministic for a seed, so every phase of a run works on comparable rows.
/// </summary>
public sealed class AgentEventFactory(int seed)
{
    private static readonly string[] ExecRules =
        ["net_util_executed", "shell_spawned_by_web_server", "package_management_in_container", "pci_11_5_critical_binaries",
         "sudo_executed", "systemd_run_executed", "compiler_in_container", "kubectl_exec"];
    private static readonly string[] OpenRules =
        ["credential_accessed", "ssh_authorized_keys_opened", "passwd_file_read", "kubernetes_token_read",
         "cron_file_modified", "sensitive_proc_file_read", "shadow_file_read", "aws_credentials_read"];
    private static readonly string[] DnsRules =
        ["dns_lookup_suspicious_tld", "dns_lookup_cloud_metadata", "dns_lookup_paste_site", "dns_lookup_miner_pool"];
    private static readonly (string Path, string[] Args)[] Binaries =
    [
        ("/usr/bin/curl", ["-fsSL", "https://get.example.sh", "-o", "/tmp/install.sh"]),
        ("/usr/bin/bash", ["-c", "id; uname -a; cat /etc/os-release"]),
        ("/usr/bin/apt-get", ["install", "-y", "--no-install-recommends", "netcat-openbsd"]),
        ("/usr/bin/sudo", ["-u", "postgres", "psql", "-c", "select 1"]),
        ("/usr/bin/python3", ["-m", "http.server", "8080"]),
        ("/usr/bin/nc", ["-lvnp", "4444"]),
        ("/usr/local/bin/kubectl", ["exec", "-it", "api-7f9c", "--", "/bin/sh"]),
        ("/usr/bin/gcc", ["-O2", "-o", "/tmp/a.out", "/tmp/x.c"]),
    ];
    private static readonly string[] Files =
        ["/etc/shadow", "/etc/passwd", "/root/.ssh/authorized_keys", "/var/run/secrets/kubernetes.io/serviceaccount/token",
         "/etc/cron.d/backup", "/proc/self/environ", "/root/.aws/credentials", "/home/deploy/.ssh/id_ed25519"];
    private static readonly string[] Domains =
        ["update-check.example.tk", "169.254.169.254.nip.io", "pastebin.example.com", "pool.minexmr.example.org",
         "api.example.top", "cdn.example.xyz"];

    private readonly Random _random = new(seed);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    /// <summary>A mix of 45 % exec, 40 % open, 15 % dns events, one of 20 agent rules, dated <paramref name="date"/>.</summary>
    public GeneratedEvent Next(DateTime date, string? ruleId = null, string? containerId = null)
    {
        var roll = _random.Next(100);
        var type = roll < 45 ? "exec" : roll < 85 ? "open" : "dns";
        ruleId ??= type switch
        {
            "exec" => ExecRules[_random.Next(ExecRules.Length)],
            "open" => OpenRules[_random.Next(OpenRules.Length)],
            _ => DnsRules[_random.Next(DnsRules.Length)],
        };
        containerId ??= $"{_random.NextInt64():x16}{_random.NextInt64():x16}{_random.NextInt64():x16}{_random.NextInt64():x16}";
        var title = $"Rule {ruleId} matched";
        var binary = Binaries[_random.Next(Binaries.Length)];
        var pid = _random.Next(1_000, 4_000_000);
        var ppid = _random.Next(1, 1_000);

        _buffer.Clear();
        using (var w = new Utf8JsonWriter(_buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("agent");
            w.WriteString("rule_id", ruleId);
            w.WriteString("rule_version", "1.69.3");
            w.WriteString("policy_name", "default.policy");
            w.WriteString("version", "7.70.0");
            w.WriteString("os", "linux");
            w.WriteString("origin", "ebpf");
            w.WriteEndObject();
            w.WriteString("title", title);
            w.WriteString("date", date.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("service", "checkout-api");
            w.WriteStartObject("evt");
            w.WriteString("name", type);
            w.WriteString("category", type switch { "exec" => "Process Activity", "open" => "File Activity", _ => "Network Activity" });
            w.WriteString("outcome", "Success");
            w.WriteBoolean("async", false);
            w.WriteEndObject();
            w.WriteStartObject("container");
            w.WriteString("id", containerId);
            w.WriteString("created_at", "2026-11-29T03:12:44Z");
            w.WriteStartObject("tags");
            w.WriteString("image_name", "registry.example.com/shop/checkout-api");
            w.WriteString("image_tag", "2026.11.3");
            w.WriteString("kube_namespace", "shop");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("usr");
            w.WriteString("id", "0");
            w.WriteString("name", "root");
            w.WriteEndObject();
            w.WriteStartObject("process");
            WriteProcess(w, pid, ppid, binary.Path, binary.Args, withEnvs: true);
            w.WriteStartObject("parent");
            WriteProcess(w, ppid, 1, "/usr/bin/bash", ["-l"], withEnvs: false);
            w.WriteEndObject();
            w.WriteStartArray("ancestors");
            w.WriteStartObject();
            WriteProcess(w, ppid, 1, "/usr/bin/bash", ["-l"], withEnvs: false);
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteNumber("pid", 1);
            w.WriteString("comm", "containerd-shim");
            w.WriteStartObject("executable");
            w.WriteString("path", "/usr/bin/containerd-shim-runc-v2");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            switch (type)
            {
                case "open":
                    var file = Files[_random.Next(Files.Length)];
                    w.WriteStartObject("file");
                    w.WriteString("path", file);
                    w.WriteString("name", Path.GetFileName(file));
                    w.WriteNumber("inode", _random.Next(100_000, 9_000_000));
                    w.WriteNumber("mode", 384);
                    w.WriteString("filesystem", "overlay");
                    w.WriteStartArray("flags");
                    w.WriteStringValue("O_RDONLY");
                    w.WriteStringValue("O_CLOEXEC");
                    w.WriteEndArray();
                    w.WriteEndObject();
                    break;
                case "dns":
                    w.WriteStartObject("dns");
                    w.WriteNumber("id", _random.Next(65_536));
                    w.WriteStartObject("question");
                    w.WriteString("class", "IN");
                    w.WriteNumber("count", 1);
                    w.WriteString("name", Domains[_random.Next(Domains.Length)]);
                    w.WriteString("type", "A");
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteStartObject("network");
                    w.WriteString("l3_protocol", "IPv4");
                    w.WriteString("l4_protocol", "UDP");
                    w.WriteStartObject("destination");
                    w.WriteString("ip", "10.96.0.10");
                    w.WriteNumber("port", 53);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
            }
            w.WriteEndObject();
        }
        return new GeneratedEvent(_buffer.WrittenSpan.ToArray(), ruleId, type, title, date);
    }

    private void WriteProcess(Utf8JsonWriter w, int pid, int ppid, string path, string[] args, bool withEnvs)
    {
        var name = Path.GetFileName(path);
        w.WriteNumber("pid", pid);
        w.WriteNumber("ppid", ppid);
        w.WriteNumber("tid", pid);
        w.WriteNumber("uid", 0);
        w.WriteNumber("gid", 0);
        w.WriteString("user", "root");
        w.WriteString("group", "root");
        w.WriteString("comm", name);
        w.WriteString("tty", "");
        w.WriteString("exec_time", "2026-11-29T04:10:02.113Z");
        w.WriteStartObject("executable");
        w.WriteString("path", path);
        w.WriteString("name", name);
        w.WriteNumber("inode", _random.Next(10_000, 900_000));
        w.WriteNumber("mode", 33261);
        w.WriteString("filesystem", "overlay");
        w.WriteEndObject();
        w.WriteStartArray("args");
        foreach (var a in args)
            w.WriteStringValue(a);
        w.WriteEndArray();
        w.WriteString("argv0", name);
        if (withEnvs)
        {
            w.WriteStartArray("envs");
            foreach (var e in (string[])["PATH", "HOME", "HOSTNAME", "KUBERNETES_SERVICE_HOST", "LANG"])
                w.WriteStringValue(e);
            w.WriteEndArray();
            w.WriteStartArray("cap_effective");
            w.WriteStringValue("CAP_CHOWN");
            w.WriteStringValue("CAP_NET_BIND_SERVICE");
            w.WriteEndArray();
        }
    }
}
