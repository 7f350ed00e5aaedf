using System.Text.Json;
using Vigil.Core.Contracts.Api;

namespace Vigil.Core.Tests.Contracts;

public sealed class SignalEntitiesTests
{
    private const string ExecEvent = """
        {
          "agent": {"rule_id": "shell_from_web"}, "title": "shell", "tags": ["env:prod", "image_name:nginx"],
          "container": {"id": "3f2a9c"},
          "dns": {"question": {"name": "pool.example.org"}},
          "file": {"path": "/bin/sh"},
          "process": {
            "pid": 300, "user": "www-data", "file": {"path": "/usr/bin/sh", "name": "sh"}, "args": ["-c", "id"],
            "parent": {"pid": 200, "file": {"path": "/usr/sbin/nginx", "name": "nginx"}},
            "ancestors": [
              {"pid": 200, "file": {"path": "/usr/sbin/nginx", "name": "nginx"}},
              {"pid": 1, "comm": "systemd", "credentials": {"user": "root"}}
            ]
          }
        }
        """;

    [Fact]
    public void From_AnExecEvent_GivesTheProcessTreeMatchedFirstWithoutRepeatingTheParent()
    {
        using var json = JsonDocument.Parse(ExecEvent);

        var entities = SignalEntities.From(json.RootElement, "web-1");

        Assert.Equal(("web-1", "3f2a9c", "nginx", "/bin/sh", "www-data", "pool.example.org"),
            (entities.Host, entities.ContainerId, entities.Image, entities.FilePath, entities.User, entities.DnsName));
        Assert.Equal([300L, 200L, 1L], entities.ProcessTree.Select(p => p.Pid!.Value));
        Assert.Equal([true, false, false], entities.ProcessTree.Select(p => p.Matched));
        Assert.Equal(["-c", "id"], entities.ProcessTree[0].Args);
        Assert.Equal(("systemd", "root"), (entities.ProcessTree[2].Name, entities.ProcessTree[2].User));
    }

    [Fact]
    public void From_AnEventWithoutProcessOrContainer_LeavesThemEmpty()
    {
        using var json = JsonDocument.Parse("""{"agent": {"rule_id": "r"}, "title": "t", "process": "not an object"}""");

        var entities = SignalEntities.From(json.RootElement, "h");

        Assert.Empty(entities.ProcessTree);
        Assert.Null(entities.ContainerId);
        Assert.Null(entities.DnsName);
    }
}
