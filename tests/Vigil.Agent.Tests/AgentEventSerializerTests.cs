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
}
