using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Policy;

namespace Vigil.Core.Tests.Secl;

/// <summary>
/// The approver index may only skip rules that cannot match: on random events drawn from values the
/// default policy cares about (miner arguments, shells, sensitive paths, profile files), the indexed
/// evaluator must find exactly what the naive one finds.
/// </summary>
public sealed class SeclIndexEquivalenceTests
{
    private static readonly string[] Executables = ["/usr/bin/bash", "/bin/sh", "/usr/bin/python3", "/usr/bin/xmrig", "/usr/bin/ls", "/usr/bin/curl", "/usr/bin/nc", "/tmp/kworker", "/usr/sbin/sshd"];
    private static readonly string[] Arguments =
    [
        "-i", "-c", "-o", "stratum+tcp://pool.example:3333", "--donate-level=1", "--cpu-priority=5", "--randomx-1gb-pages",
        "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_STREAM)", "import pty; pty.spawn('/bin/sh')", "--color=auto",
        "file.txt", "-la", "nicehash", "-e", "/bin/bash", "--setuptools", "ii",
    ];
    private static readonly string[] OpenPaths =
    [
        "/home/dev/.kube/config", "/home/dev/.bashrc", "/home/dev/.profile", "/home/dev/project/main.go", "/root/.kube/config", "/etc/shadow",
        "/etc/passwd", "/etc/sudoers", "/etc/ld.so.cache", "/root/.ssh/authorized_keys", "/home/dev/.ssh/authorized_keys", "/var/log/auth.log",
        "/home/dev/.config/prng/x", "/root/.prng/y", "/home/a/b/.kube/config", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/etc/cron.d/job",
    ];
    private static readonly string[] Names = ["bash", "sh", "python3", "xmrig", "ls", "curl", "nc", "kworker", "sshd", "containerd-shim", "runc"];

    [Fact]
    public void Evaluate_RandomEvents_IndexedFindsWhatNaiveFinds()
    {
        var rules = DefaultPolicyLoadTests.LoadDefaultPolicy().RuleSet;
        var random = new Random(20261129);
        var matched = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var evt = random.Next(2) == 0 ? Exec(random) : Open(random);
            var indexed = new List<SeclRuleMatch>();
            var naive = new List<SeclRuleMatch>();
            rules.Evaluate(evt, indexed);
            rules.EvaluateNaive(evt, naive);
            Assert.Equal(naive.Select(m => m.Rule.Id), indexed.Select(m => m.Rule.Id));
            if (naive.Count > 0) matched++;
        }
        Assert.True(matched > 500, $"only {matched} random events matched a rule: the generator no longer reaches the rules");
    }

    private static SeclEvent Exec(Random random)
    {
        var path = Pick(random, Executables);
        var argv = Enumerable.Range(0, random.Next(0, 5)).Select(_ => Pick(random, Arguments)).ToArray();
        var evt = WithProcess(new SeclEvent("exec"), random)
            .SetValue("exec.file.path", path).SetValue("exec.file.name", Path.GetFileName(path)).SetValue("exec.comm", Path.GetFileName(path))
            .SetValue("exec.argv", argv);
        return evt;
    }

    private static SeclEvent Open(Random random)
    {
        var path = Pick(random, OpenPaths);
        return WithProcess(new SeclEvent("open"), random).SetValue("open.file.path", path).SetValue("open.file.name", Path.GetFileName(path))
            .SetValue("open.flags", random.Next(3) == 0 ? new[] { "O_WRONLY", "O_CREAT" } : new[] { "O_RDONLY" });
    }

    private static SeclEvent WithProcess(SeclEvent evt, Random random)
    {
        var name = Pick(random, Names);
        evt.SetValue("process.file.name", name).SetValue("process.file.path", "/usr/bin/" + name).SetValue("process.comm", name)
            .SetValue("process.parent.file.name", Pick(random, Names)).SetValue("process.container.id", random.Next(2) == 0 ? "" : "c0ffee");
        evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", Pick(random, Names)).SetValue("process.ancestors.comm", Pick(random, Names));
        return evt;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    [Theory]
    [InlineData("exec.args in [~\"*stratum+tcp*\"]", new[] { "-o", "stratum+tcp://pool:3333" }, true)]
    [InlineData("exec.args in [~\"*stratum+tcp*\"]", new[] { "-o", "pool:3333" }, false)]
    [InlineData("exec.args == \"-o pool\"", new[] { "-o", "pool" }, true)]
    [InlineData("exec.args_flags == \"randomx-1gb-pages\"", new[] { "--randomx-1gb-pages" }, true)]
    [InlineData("exec.args_flags == \"randomx-1gb-pages\"", new[] { "--randomx-1gb-pages=1" }, false)]
    [InlineData("exec.args_options in [~\"donate-level*\"]", new[] { "--donate-level=1" }, true)]
    [InlineData("exec.args_options in [~\"donate-level*\"]", new[] { "--donate", "level" }, false)]
    public void Evaluate_ArgumentRules_AreIndexedThroughArgv(string expression, string[] argv, bool expected)
    {
        var rules = Load(expression);
        var evt = new SeclEvent("exec").SetValue("exec.file.name", "xmrig").SetValue("exec.argv", argv);
        Assert.Equal(0, rules.UnindexedRuleCount);
        Assert.Equal(expected, rules.Evaluate(evt, []) == 1);
        Assert.Equal(expected, rules.EvaluateNaive(evt, []) == 1);
    }

    [Theory]
    [InlineData("exec.args_options in [\"o=stratum\"]")] // "-o stratum" spans two argv elements
    [InlineData("exec.args_options in [~\"*=stratum*\"]")] // the option's name is unknown
    [InlineData("exec.args in [~\"* *\"]")] // no literal outside spaces
    public void Evaluate_ArgumentRulesThatArgvCannotFind_StayUnindexed(string expression)
    {
        var rules = Load(expression);
        var evt = new SeclEvent("exec").SetValue("exec.file.name", "xmrig").SetValue("exec.argv", new[] { "-o", "stratum", "x=stratum" });
        Assert.Equal(1, rules.UnindexedRuleCount);
        Assert.Equal(rules.EvaluateNaive(evt, []), rules.Evaluate(evt, []));
    }

    [Theory]
    [InlineData("/home/dev/.kube/config", true)]
    [InlineData("/home/dev/project/.kube/config", false)]
    [InlineData("/home/dev/notes", false)]
    public void Evaluate_PathGlobAfterAWildcardSegment_MatchesLikeTheExpression(string path, bool expected)
    {
        var rules = Load("open.file.path in [~\"/home/*/.kube/config\", \"/root/.kube/config\"]");
        var evt = new SeclEvent("open").SetValue("open.file.path", path).SetValue("open.file.name", Path.GetFileName(path));
        Assert.Equal(expected, rules.Evaluate(evt, []) == 1);
        Assert.Equal(expected, rules.EvaluateNaive(evt, []) == 1);
    }

    private static SeclRuleSet Load(string expression) =>
        SeclPolicyLoader.Load(new SeclPolicySource("p.policy", "file", $"rules:\n  - id: r\n    expression: '{expression}'\n")).RuleSet;
}
