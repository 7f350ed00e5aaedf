using Vigil.Agent.Process;
using Vigil.Agent.Rules;

namespace Vigil.Agent.Tests;

/// <summary>The serializer keeps each process's JSON for its descendants' events: it must never hand out a stale copy.</summary>
public sealed class AgentEventSerializerTests
{
    private static (ProcessEntry Parent, ProcessEntry Child) Tree()
    {
        var parent = new ProcessEntry { Pid = 100, Ppid = 1, Comm = "bash", Argv = ["bash"], Envp = ["HOME=/root", "TERM"], Source = "ebpf" };
        var child = new ProcessEntry { Pid = 101, Ppid = 100, Parent = parent, Comm = "true", Argv = ["true", "x"], Source = "ebpf" };
        return (parent, child);
    }

    [Fact]
    public void ProcessTree_AfterTheParentChanges_ShowsTheChange()
    {
        var serializer = new AgentEventSerializer(new UserDirectory());
        var (parent, child) = Tree();
        Assert.Equal("bash", (string?)serializer.ProcessTree(child)["parent"]!["comm"]);

        parent.Comm = "renamed";
        parent.ExitTimeNs = 1_000_000_000;

        var tree = serializer.ProcessTree(child);
        Assert.Equal("renamed", (string?)tree["parent"]!["comm"]);
        Assert.Equal("1970-01-01T00:00:01.0000000Z", (string?)tree["parent"]!["exit_time"]);
        Assert.Equal("renamed", (string?)tree["ancestors"]![0]!["comm"]);
    }

    [Fact]
    public void ProcessTree_WritesEnvNamesArgsAndLineage()
    {
        var (_, child) = Tree();
        child.Envp = ["PATH=/bin", "LANG=C.UTF-8"];

        var tree = new AgentEventSerializer(new UserDirectory()).ProcessTree(child);

        Assert.Equal(["PATH", "LANG"], tree["envs"]!.AsArray().Select(e => (string?)e));
        Assert.Equal(["x"], tree["args"]!.AsArray().Select(e => (string?)e));
        Assert.Equal("true", (string?)tree["argv0"]);
        Assert.Equal(["HOME", "TERM"], tree["parent"]!["envs"]!.AsArray().Select(e => (string?)e));
        Assert.Single(tree["ancestors"]!.AsArray());
    }

    [Fact]
    public void ProcessTree_AncestorForkedWithoutExec_LeavesItsArgumentsToItsParent()
    {
        var (shell, _) = Tree();
        var subshell = shell.ForkChild(102, 2_000_000_000); // bash's $( … ): a fork sharing bash's argv and environment
        var command = new ProcessEntry { Pid = 103, Ppid = 102, Parent = subshell, Comm = "true", Argv = ["true", "x"], Source = "ebpf" };
        var serializer = new AgentEventSerializer(new UserDirectory());

        var tree = serializer.ProcessTree(command);

        var parent = tree["parent"]!.AsObject();
        Assert.Equal(102, (int)parent["pid"]!);
        Assert.False(parent.ContainsKey("args"));
        Assert.False(parent.ContainsKey("envs"));
        Assert.False(parent.ContainsKey("argv0"));
        Assert.False(tree["ancestors"]![0]!.AsObject().ContainsKey("args"));
        var forker = tree["ancestors"]![1]!;
        Assert.Equal(100, (int)forker["pid"]!);
        Assert.Equal("bash", (string?)forker["argv0"]);
        Assert.Equal(["HOME", "TERM"], forker["envs"]!.AsArray().Select(e => (string?)e));
        // The event's own process keeps its arguments even when it is such a fork (Datadog dedups ancestors only).
        Assert.Equal("bash", (string?)serializer.ProcessTree(subshell)["argv0"]);
    }

    [Fact]
    public void ProcessTree_ParentThatExecs_WritesItsOwnArguments()
    {
        var (shell, _) = Tree();
        var script = new ProcessEntry { Pid = 102, Ppid = 100, Parent = shell, Comm = "sh", Argv = ["sh", "run.sh"], Envp = shell.Envp, Source = "ebpf" };
        var command = new ProcessEntry { Pid = 103, Ppid = 102, Parent = script, Comm = "true", Argv = ["true"], Source = "ebpf" };

        var tree = new AgentEventSerializer(new UserDirectory()).ProcessTree(command);

        Assert.Equal(["run.sh"], tree["parent"]!["args"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(["HOME", "TERM"], tree["parent"]!["envs"]!.AsArray().Select(e => (string?)e));
    }
}
