using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Tests.Secl;

/// <summary>Rules of the Datadog default policy v1.29.0 against hand-built events that must and must not match.</summary>
public sealed class DefaultPolicyEvaluationTests
{
    private static readonly Lazy<SeclRuleSet> RuleSet = new(() => DefaultPolicyLoadTests.LoadDefaultPolicy().RuleSet);

    private const long Now = SeclFixtures.Now;
    private const long Second = SeclFixtures.Second;

    /// <summary>Builds an event; keys "process.ancestors#N.x" fill ancestor N.</summary>
    private static SeclEvent Event(string type, params (string Field, object Value)[] fields)
    {
        var evt = new SeclEvent(type) { TimestampNanoseconds = Now };
        var ancestors = new List<SeclElement>();
        foreach (var (field, value) in fields)
        {
            if (field.StartsWith("process.ancestors#", StringComparison.Ordinal))
            {
                var hash = field.IndexOf('#');
                var dot = field.IndexOf('.', hash);
                var index = int.Parse(field[(hash + 1)..dot], System.Globalization.CultureInfo.InvariantCulture);
                while (ancestors.Count <= index) ancestors.Add(evt.AddElement("process.ancestors"));
                ancestors[index].SetValue("process.ancestors" + field[dot..], value);
            }
            else
            {
                evt.SetValue(field, value);
            }
        }
        return evt;
    }

    private static (string, object)[] Proc(string path, params (string, object)[] more) =>
        [("process.file.path", path), ("process.file.name", Path.GetFileName(path)), ("process.comm", Path.GetFileName(path)), .. more];

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (rule, name, _, expected) in Rows) data.Add(rule, name, expected);
        return data;
    }

    private static readonly (string Rule, string Name, Func<SeclEvent> Event, bool Expected)[] Rows =
    [
        ("auditctl_usage", "auditctl -D", () => Event("exec", ("exec.file.name", "auditctl"), ("exec.argv", new[] { "-D" })), true),
        ("auditctl_usage", "auditctl -l (listing)", () => Event("exec", ("exec.file.name", "auditctl"), ("exec.argv", new[] { "-l" })), false),
        ("auditd_config_modified", "vim writes auditd.conf", () => Event("open", [("open.file.path", "/etc/audit/auditd.conf"), ("open.flags", "O_WRONLY"), .. Proc("/usr/bin/vim")]), true),
        ("auditd_config_modified", "read-only open", () => Event("open", [("open.file.path", "/etc/audit/auditd.conf"), ("open.flags", "O_RDONLY"), .. Proc("/usr/bin/vim")]), false),
        ("aws_eks_service_account_token_accessed", "token read", () => Event("open", [("open.file.path", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"), ("open.file.name", "token"), .. Proc("/usr/bin/cat")]), true),
        ("aws_eks_service_account_token_accessed", "by the datadog agent", () => Event("open", [("open.file.path", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"), ("open.file.name", "token"), .. Proc("/opt/datadog-agent/embedded/bin/agent")]), false),
        ("aws_imds", "curl to IMDS credentials", () => Event("exec", ("exec.comm", "curl"), ("exec.argv", new[] { "http://169.254.169.254/latest/meta-data/iam/security-credentials/role" })), true),
        ("aws_imds", "curl elsewhere", () => Event("exec", ("exec.comm", "curl"), ("exec.argv", new[] { "https://example.com/" })), false),
        ("base64_decode", "base64 -d", () => Event("exec", ("exec.file.name", "base64"), ("exec.argv", new[] { "-d", "payload" })), true),
        ("base64_decode", "base64 encode", () => Event("exec", ("exec.file.name", "base64"), ("exec.argv", new[] { "file" })), false),
        ("chatroom_request", "discord lookup", () => Event("dns", ("dns.question.name", "discord.com")), true),
        ("chatroom_request", "other lookup", () => Event("dns", ("dns.question.name", "example.com")), false),
        ("common_net_intrusion_util", "nmap scan", () => Event("exec", ("exec.file.name", "nmap"), ("exec.argv", new[] { "-sS", "10.0.0.0/24" })), true),
        ("common_net_intrusion_util", "nmap --version", () => Event("exec", ("exec.file.name", "nmap"), ("exec.argv", new[] { "--version" })), false),
        ("compiler_in_container", "gcc in a container", () => Event("exec", ("exec.file.name", "gcc"), ("process.container.id", "c1"), ("process.ancestors#0.file.path", "/bin/bash")), true),
        ("compiler_in_container", "gcc on the host", () => Event("exec", ("exec.file.name", "gcc"), ("process.ancestors#0.file.path", "/bin/bash")), false),
        ("credential_modified_unlink", "rm /etc/shadow", () => Event("unlink", [("unlink.file.path", "/etc/shadow"), .. Proc("/usr/bin/rm"), ("process.ancestors#0.file.path", "/bin/bash")]), true),
        ("credential_modified_unlink", "by a package manager", () => Event("unlink", [("unlink.file.path", "/etc/shadow"), .. Proc("/usr/bin/rm"), ("process.ancestors#0.file.path", "/usr/bin/dpkg")]), false),
        ("credential_modified_chmod", "chmod shadow", () => Event("chmod", [("chmod.file.path", "/etc/shadow"), ("chmod.file.mode", 0x8180L), ("chmod.file.destination.mode", 0x81B6L), .. Proc("/usr/bin/chmod")]), true),
        ("credential_modified_chmod", "same mode", () => Event("chmod", [("chmod.file.path", "/etc/shadow"), ("chmod.file.mode", 0x8180L), ("chmod.file.destination.mode", 0x8180L), .. Proc("/usr/bin/chmod")]), false),
        ("cron_at_job_creation_open", "new crontab", () => Event("open", [("open.file.path", "/var/spool/cron/crontabs/root"), ("open.flags", new[] { "O_CREAT", "O_WRONLY" }), .. Proc("/usr/bin/vim")]), true),
        ("cron_at_job_creation_open", "written by crontab", () => Event("open", [("open.file.path", "/var/spool/cron/crontabs/root"), ("open.flags", new[] { "O_CREAT", "O_WRONLY" }), .. Proc("/usr/bin/crontab")]), false),
        ("cryptominer_args", "stratum url", () => Event("exec", ("exec.file.name", "xmrig"), ("exec.argv", new[] { "-o", "stratum+tcp://pool:3333" })), true),
        ("cryptominer_args", "randomx flag", () => Event("exec", ("exec.file.name", "xmrig"), ("exec.argv", new[] { "--randomx-1gb-pages" })), true),
        ("cryptominer_args", "ordinary args", () => Event("exec", ("exec.file.name", "ls"), ("exec.argv", new[] { "-la" })), false),
        ("cryptominer_envs", "POOL_USER set", () => Event("exec", ("exec.envs", new[] { "PATH", "POOL_USER" })), true),
        ("cryptominer_envs", "no pool env", () => Event("exec", ("exec.envs", new[] { "PATH", "HOME" })), false),
        ("curl_docker_socket", "curl --unix-socket docker.sock", () => Event("exec", ("exec.file.name", "curl"), ("exec.argv", new[] { "--unix-socket", "/var/run/docker.sock", "http://x/containers/json" }), ("process.container.id", "c1")), true),
        ("curl_docker_socket", "outside a container", () => Event("exec", ("exec.file.name", "curl"), ("exec.argv", new[] { "--unix-socket", "/var/run/docker.sock", "http://x/" })), false),
        ("delete_system_log", "rm wtmp", () => Event("unlink", [("unlink.file.path", "/var/log/wtmp"), .. Proc("/usr/bin/rm")]), true),
        ("delete_system_log", "rm other log", () => Event("unlink", [("unlink.file.path", "/var/log/app.log"), .. Proc("/usr/bin/rm")]), false),
        ("deploy_priv_container", "new privileged container", () => Event("exec", ("exec.file.name", "sh"), ("process.container.created_at", Now - Second / 2), ("process.cap_permitted", 1L << 21)), true),
        ("deploy_priv_container", "old container", () => Event("exec", ("exec.file.name", "sh"), ("process.container.created_at", Now - 60 * Second), ("process.cap_permitted", 1L << 21)), false),
        ("dirty_pipe_exploitation", "can-merge flag as user", () => Event("splice", ("splice.pipe_exit_flag", "PIPE_BUF_FLAG_CAN_MERGE"), ("process.uid", 1000L), ("process.gid", 1000L)), true),
        ("dirty_pipe_exploitation", "as root", () => Event("splice", ("splice.pipe_exit_flag", "PIPE_BUF_FLAG_CAN_MERGE"), ("process.uid", 0L), ("process.gid", 0L)), false),
        ("dynamic_linker_config_write", "write ld.so.preload", () => Event("open", [("open.file.path", "/etc/ld.so.preload"), ("open.flags", "O_WRONLY"), .. Proc("/usr/bin/tee")]), true),
        ("dynamic_linker_config_write", "by dpkg", () => Event("open", [("open.file.path", "/etc/ld.so.preload"), ("open.flags", "O_WRONLY"), .. Proc("/usr/bin/dpkg")]), false),
        ("exec_whoami", "whoami", () => Event("exec", ("exec.comm", "whoami")), true),
        ("exec_whoami", "id", () => Event("exec", ("exec.comm", "id")), false),
        ("executable_bit_added", "chmod +x in container upper layer", () => Event("chmod", ("chmod.file.in_upper_layer", true), ("chmod.file.change_time", Now - 5 * Second), ("process.container.id", "c1"), ("chmod.file.mode", 0x81A4L), ("chmod.file.destination.mode", 0x81EDL), ("process.argv", new[] { "+x", "/tmp/a" })), true),
        ("executable_bit_added", "old file", () => Event("chmod", ("chmod.file.in_upper_layer", true), ("chmod.file.change_time", Now - 3600 * Second), ("process.container.id", "c1"), ("chmod.file.mode", 0x81A4L), ("chmod.file.destination.mode", 0x81EDL), ("process.argv", new[] { "+x", "/tmp/a" })), false),
        ("hidden_file_executed", "/tmp/.x", () => Event("exec", ("exec.file.name", ".x"), ("exec.file.path", "/tmp/.x")), true),
        ("hidden_file_executed", "/usr/bin/.x", () => Event("exec", ("exec.file.name", ".x"), ("exec.file.path", "/usr/bin/.x")), false),
        ("interactive_shell_in_container", "bash -i in container", () => Event("exec", ("exec.file.path", "/bin/bash"), ("exec.argv", new[] { "-i" }), ("process.container.id", "c1")), true),
        ("interactive_shell_in_container", "bash -c in container", () => Event("exec", ("exec.file.path", "/bin/bash"), ("exec.argv", new[] { "-c", "ls" }), ("process.container.id", "c1")), false),
        ("ip_check_domain", "icanhazip", () => Event("dns", [("dns.question.name", "ICANHAZIP.com"), .. Proc("/usr/bin/curl")]), true),
        ("ip_check_domain", "other domain", () => Event("dns", [("dns.question.name", "example.org"), .. Proc("/usr/bin/curl")]), false),
        ("iptables_egress_allowed", "allow egress to public ip", () => Event("exec", ("exec.comm", "iptables"), ("process.argv", new[] { "-A", "OUTPUT", "-d", "8.8.8.8", "-j", "ACCEPT" })), true),
        ("iptables_egress_allowed", "allow egress to private ip", () => Event("exec", ("exec.comm", "iptables"), ("process.argv", new[] { "-A", "OUTPUT", "-d", "10.1.1.1", "-j", "ACCEPT" })), false),
        ("java_shell_execution_parent", "java spawns sh", () => Event("exec", ("exec.file.path", "/bin/sh"), ("process.parent.file.name", "java")), true),
        ("java_shell_execution_parent", "bash spawns sh", () => Event("exec", ("exec.file.path", "/bin/sh"), ("process.parent.file.name", "bash")), false),
        ("jupyter_shell_execution", "jupyter spawns bash", () => Event("exec", ("exec.file.name", "bash"), ("process.ancestors#0.comm", "python3"), ("process.ancestors#1.comm", "jupyter-lab")), true),
        ("jupyter_shell_execution", "no jupyter ancestor", () => Event("exec", ("exec.file.name", "bash"), ("process.ancestors#0.comm", "sshd")), false),
        ("k8s_pod_service_account_token_accessed", "cat token", () => Event("open", [("open.file.path", "/var/run/secrets/kubernetes.io/serviceaccount/..2024/token"), ("open.file.name", "token"), .. Proc("/usr/bin/cat")]), true),
        ("k8s_pod_service_account_token_accessed", "other file", () => Event("open", [("open.file.path", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"), ("open.file.name", "ca.crt"), .. Proc("/usr/bin/cat")]), false),
        ("kernel_module_load", "unknown module", () => Event("load_module", ("load_module.name", "rootkit"), ("process.ancestors#0.file.name", "insmod")), true),
        ("kernel_module_load", "common module", () => Event("load_module", ("load_module.name", "nf_tables"), ("process.ancestors#0.file.name", "insmod")), false),
        ("kernel_module_load_from_memory", "from memory", () => Event("load_module", ("load_module.loaded_from_memory", true)), true),
        ("kernel_module_load_from_memory", "from file", () => Event("load_module", ("load_module.loaded_from_memory", false)), false),
        ("package_management_in_container", "apt-get in container", () => Event("exec", ("exec.file.path", "/usr/bin/apt-get"), ("process.container.id", "c1")), true),
        ("package_management_in_container", "apt-get on host", () => Event("exec", ("exec.file.path", "/usr/bin/apt-get")), false),
        ("pam_modification_open", "write pam.d", () => Event("open", ("open.file.path", "/etc/pam.d/sshd"), ("open.flags", "O_RDWR")), true),
        ("pam_modification_open", "read pam.d", () => Event("open", ("open.file.path", "/etc/pam.d/sshd"), ("open.flags", "O_RDONLY")), false),
        ("passwd_execution", "passwd", () => Event("exec", ("exec.file.path", "/usr/bin/passwd"), ("exec.argv", new[] { "bob" })), true),
        ("passwd_execution", "passwd -S", () => Event("exec", ("exec.file.path", "/usr/bin/passwd"), ("exec.argv", new[] { "-S" })), false),
        ("ptrace_antidebug", "traceme", () => Event("ptrace", [("ptrace.request", "PTRACE_TRACEME"), .. Proc("/tmp/malware")]), true),
        ("ptrace_antidebug", "attach", () => Event("ptrace", [("ptrace.request", "PTRACE_ATTACH"), .. Proc("/tmp/malware")]), false),
        ("ptrace_injection", "poketext", () => Event("ptrace", ("ptrace.request", "PTRACE_POKETEXT")), true),
        ("ptrace_injection", "peektext", () => Event("ptrace", ("ptrace.request", "PTRACE_PEEKTEXT")), false),
        ("pwnkit_privilege_escalation", "pkexec with crafted env", () => Event("exec", ("exec.file.path", "/usr/bin/pkexec"), ("exec.envs", new[] { "SHELL", "PATH" }), ("exec.uid", 1000L)), true),
        ("pwnkit_privilege_escalation", "pkexec from a desktop", () => Event("exec", ("exec.file.path", "/usr/bin/pkexec"), ("exec.envs", new[] { "SHELL", "PATH", "DISPLAY" }), ("exec.uid", 1000L)), false),
        ("python_cli_code", "python -c pty.spawn", () => Event("exec", ("exec.file.name", "python3"), ("exec.argv", new[] { "-c", "import pty;pty.spawn('/bin/bash')" })), true),
        ("python_cli_code", "python -c setuptools", () => Event("exec", ("exec.file.name", "python3"), ("exec.argv", new[] { "-c", "import setuptools; pty.spawn" })), false),
        ("read_kubeconfig", "read ~/.kube/config", () => Event("open", ("open.file.path", "/home/alice/.kube/config")), true),
        ("read_kubeconfig", "nested home path", () => Event("open", ("open.file.path", "/home/alice/x/.kube/config")), false),
        ("selinux_disable_enforcement", "setenforce 0", () => Event("selinux", ("selinux.enforce.status", "permissive")), true),
        ("selinux_disable_enforcement", "by ansible become", () => Event("selinux", ("selinux.enforce.status", "permissive"), ("process.ancestors#0.argv", new[] { "-c", "echo BECOME-SUCCESS-abc" })), false),
        ("sensitive_tracing", "peek into root process", () => Event("ptrace", [("ptrace.request", "PTRACE_PEEKDATA"), ("ptrace.tracee.euid", 0L), .. Proc("/tmp/x")]), true),
        ("sensitive_tracing", "by gdb", () => Event("ptrace", [("ptrace.request", "PTRACE_PEEKDATA"), ("ptrace.tracee.euid", 0L), .. Proc("/usr/bin/gdb")]), false),
        ("service_stop", "systemctl stop", () => Event("exec", ("exec.file.name", "systemctl"), ("exec.argv", new[] { "stop", "auditd" })), true),
        ("service_stop", "systemctl status", () => Event("exec", ("exec.file.name", "systemctl"), ("exec.argv", new[] { "status", "auditd" })), false),
        ("shell_history_deleted", "rm .bash_history", () => Event("unlink", [("unlink.file.name", ".bash_history"), ("unlink.file.path", "/root/.bash_history"), .. Proc("/usr/bin/rm")]), true),
        ("shell_history_deleted", "by dockerd", () => Event("unlink", [("unlink.file.name", ".bash_history"), ("unlink.file.path", "/root/.bash_history"), .. Proc("/usr/bin/dockerd")]), false),
        ("ssh_authorized_keys_open", "append a key", () => Event("open", ("open.file.name", "authorized_keys"), ("open.file.path", "/home/bob/.ssh/authorized_keys"), ("open.flags", new[] { "O_WRONLY", "O_APPEND" })), true),
        ("ssh_authorized_keys_open", "read keys", () => Event("open", ("open.file.name", "authorized_keys"), ("open.file.path", "/home/bob/.ssh/authorized_keys"), ("open.flags", "O_RDONLY")), false),
        ("sudoers_policy_modified_rename", "mv onto sudoers", () => Event("rename", ("rename.file.path", "/tmp/s"), ("rename.file.destination.path", "/etc/sudoers")), true),
        ("sudoers_policy_modified_rename", "unrelated rename", () => Event("rename", ("rename.file.path", "/tmp/s"), ("rename.file.destination.path", "/tmp/t")), false),
        ("suid_file_execution", "setuid to root via suid binary", () => Event("setuid", [("setuid.euid", 0L), ("process.file.mode", 0x8000L | 0x800L | 0x1EDL), ("process.file.uid", 0L), ("process.uid", 1000L), .. Proc("/tmp/rootme")]), true),
        ("suid_file_execution", "sudo", () => Event("setuid", [("setuid.euid", 0L), ("process.file.mode", 0x8000L | 0x800L | 0x1EDL), ("process.file.uid", 0L), ("process.uid", 1000L), .. Proc("/usr/bin/sudo")]), false),
        ("systemd_modification_open", "new unit file", () => Event("open", [("open.file.path", "/etc/systemd/system/evil.service"), ("open.flags", "O_CREAT"), .. Proc("/usr/bin/tee")]), true),
        ("systemd_modification_open", "unit file read", () => Event("open", [("open.file.path", "/etc/systemd/system/evil.service"), ("open.flags", "O_RDONLY"), .. Proc("/usr/bin/tee")]), false),
        ("tar_execution", "tar -c", () => Event("exec", ("exec.file.path", "/usr/bin/tar"), ("exec.argv", new[] { "-c", "-f", "x.tar", "/etc" })), true),
        ("tar_execution", "tar -x", () => Event("exec", ("exec.file.path", "/usr/bin/tar"), ("exec.argv", new[] { "-x", "-f", "x.tar" })), false),
        ("tty_shell_in_container", "bash with a tty in container", () => Event("exec", ("exec.file.path", "/bin/bash"), ("process.tty_name", "pts0"), ("process.container.id", "c1")), true),
        ("tty_shell_in_container", "without tty", () => Event("exec", ("exec.file.path", "/bin/bash"), ("process.container.id", "c1")), false),
        ("user_created_tty", "useradd from a terminal", () => Event("exec", ("exec.file.name", "useradd"), ("exec.tty_name", "pts1"), ("exec.argv", new[] { "eve" })), true),
        ("user_created_tty", "useradd -D", () => Event("exec", ("exec.file.name", "useradd"), ("exec.tty_name", "pts1"), ("exec.argv", new[] { "-D" })), false),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void DefaultPolicyRule_OnHandBuiltEvent_MatchesOnlyWhenItShould(string ruleId, string scenario, bool expected)
    {
        var row = Rows.Single(r => r.Rule == ruleId && r.Name == scenario);
        Assert.Contains(RuleSet.Value.Rules, r => r.Id == ruleId);
        var matches = new List<SeclRuleMatch>();
        RuleSet.Value.Evaluate(row.Event(), matches);
        Assert.Equal(expected, matches.Any(m => m.Rule.Id == ruleId));

        var naive = new List<SeclRuleMatch>();
        RuleSet.Value.EvaluateNaive(row.Event(), naive);
        Assert.Equal(matches.Select(m => m.Rule.Id), naive.Select(m => m.Rule.Id));
    }

    [Fact]
    public void DefaultPolicyCases_CoverAtLeastFortyRules()
    {
        Assert.True(Rows.Select(r => r.Rule).Distinct().Count() >= 40);
        Assert.All(Rows.GroupBy(r => r.Rule), g => Assert.Contains(g, r => r.Expected));
    }

    [Fact]
    public void Explain_MatchedRule_ListsTheSubExpressionsThatWereTrue()
    {
        var evt = Event("exec", ("exec.file.name", "base64"), ("exec.argv", new[] { "-d", "x" }));
        var matches = new List<SeclRuleMatch>();
        RuleSet.Value.Evaluate(evt, matches);
        var rule = matches.Single(m => m.Rule.Id == "base64_decode").Rule;
        var explanation = RuleSet.Value.Explain(rule, evt);
        Assert.Equal(["exec.file.name == \"base64\"", "exec.args_flags in [\"d\"]"], explanation.MatchingSubExpressions.Select(m => m.Expression));
        Assert.Equal(0, explanation.MatchingSubExpressions[0].Offset);
    }
}
