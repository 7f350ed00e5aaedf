using Vigil.Core.Secl.Evaluation;

namespace Vigil.Benchmarks;

/// <summary>
/// Deterministic stream of realistic Linux events: library loads, config reads, short-lived
/// commands, DNS lookups, temp-file churn. About 1% match a default-policy rule.
/// </summary>
public static class EventReplay
{
    private static readonly string[] Binaries = ["/usr/bin/ls", "/usr/bin/grep", "/usr/bin/cat", "/usr/bin/python3.11", "/usr/bin/git", "/usr/sbin/nginx", "/usr/bin/node", "/usr/bin/sed", "/usr/bin/awk", "/usr/bin/sort"];
    private static readonly string[] Parents = ["bash", "systemd", "containerd-shim", "sshd", "cron", "make"];
    private static readonly string[] ReadPaths = ["/usr/lib/x86_64-linux-gnu/libc.so.6", "/etc/ld.so.cache", "/proc/self/status", "/etc/passwd", "/usr/share/zoneinfo/UTC", "/etc/hosts", "/var/lib/app/data.db", "/home/dev/project/src/main.go", "/sys/fs/cgroup/cpu.max", "/opt/app/config.yaml"];
    private static readonly string[] WritePaths = ["/tmp/tmp.AbC123", "/var/log/app/app.log", "/home/dev/project/build/out.o", "/var/lib/app/data.db-wal", "/run/user/1000/socket"];
    private static readonly string[] Domains = ["api.github.com", "registry.npmjs.org", "s3.amazonaws.com", "time.google.com", "pypi.org", "ocsp.digicert.com"];

    public static SeclEvent[] Create(int count, int seed, bool includeMatching = true)
    {
        var random = new Random(seed);
        var events = new SeclEvent[count];
        for (var i = 0; i < count; i++)
            events[i] = Next(random, includeMatching);
        return events;
    }

    /// <summary>The next event of the stream <paramref name="random"/> drives (the same stream as <see cref="Create"/> for its seed).</summary>
    public static SeclEvent Next(Random random, bool includeMatching = true)
    {
        var kind = random.Next(100);
        return includeMatching && random.Next(100) == 0 ? Matching(random) : kind switch
        {
            < 35 => Exec(random),
            < 80 => Open(random),
            < 88 => Dns(random),
            < 94 => Unlink(random),
            _ => Connect(random),
        };
    }

    private static SeclEvent WithProcess(SeclEvent evt, Random random)
    {
        var path = Binaries[random.Next(Binaries.Length)];
        var parent = Parents[random.Next(Parents.Length)];
        evt.SetValue("process.file.path", path).SetValue("process.file.name", Path.GetFileName(path)).SetValue("process.comm", Path.GetFileName(path))
            .SetValue("process.pid", (long)random.Next(1000, 60000)).SetValue("process.uid", random.Next(3) == 0 ? 0L : 1000L)
            .SetValue("process.argv", new[] { "--flag", "value" }).SetValue("process.parent.file.name", parent)
            .SetValue("process.container.id", random.Next(2) == 0 ? "" : "3f2a9c");
        evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", parent).SetValue("process.ancestors.file.path", "/usr/bin/" + parent);
        evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", "systemd").SetValue("process.ancestors.file.path", "/usr/lib/systemd/systemd");
        return evt;
    }

    private static SeclEvent Exec(Random random)
    {
        var path = Binaries[random.Next(Binaries.Length)];
        return WithProcess(new SeclEvent("exec"), random).SetValue("exec.file.path", path).SetValue("exec.file.name", Path.GetFileName(path))
            .SetValue("exec.comm", Path.GetFileName(path)).SetValue("exec.argv", new[] { "-n", "--color=auto", "file.txt" }).SetValue("exec.envs", new[] { "PATH", "HOME", "LANG" });
    }

    private static SeclEvent Open(Random random)
    {
        var write = random.Next(5) == 0;
        var path = write ? WritePaths[random.Next(WritePaths.Length)] : ReadPaths[random.Next(ReadPaths.Length)];
        return WithProcess(new SeclEvent("open"), random).SetValue("open.file.path", path).SetValue("open.file.name", Path.GetFileName(path))
            .SetValue("open.flags", write ? new[] { "O_WRONLY", "O_CREAT", "O_APPEND" } : new[] { "O_RDONLY", "O_CLOEXEC" });
    }

    private static SeclEvent Dns(Random random) =>
        WithProcess(new SeclEvent("dns"), random).SetValue("dns.question.name", Domains[random.Next(Domains.Length)]).SetValue("dns.question.type", "A");

    private static SeclEvent Unlink(Random random) =>
        WithProcess(new SeclEvent("unlink"), random).SetValue("unlink.file.path", "/tmp/tmp." + random.Next(1000)).SetValue("unlink.file.name", "tmp");

    private static SeclEvent Connect(Random random) =>
        WithProcess(new SeclEvent("connect"), random).SetValue("connect.addr.ip", "10.0.3." + random.Next(1, 250)).SetValue("connect.addr.port", 443L);

    private static SeclEvent Matching(Random random) => random.Next(3) switch
    {
        0 => WithProcess(new SeclEvent("exec"), random).SetValue("exec.file.name", "whoami").SetValue("exec.comm", "whoami").SetValue("exec.file.path", "/usr/bin/whoami"),
        1 => WithProcess(new SeclEvent("open"), random).SetValue("open.file.path", "/etc/sudoers").SetValue("open.flags", "O_WRONLY"),
        _ => WithProcess(new SeclEvent("dns"), random).SetValue("dns.question.name", "pastebin.com"),
    };
}
