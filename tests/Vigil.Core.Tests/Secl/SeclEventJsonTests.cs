using System.Text.Json;
using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Tests.Secl;

public sealed class SeclEventJsonTests
{
    private const string OpenEvent = """
        {
          "agent": { "rule_id": "x" },
          "title": "t",
          "date": "2024-05-01T10:00:00Z",
          "evt": { "name": "open", "category": "File Activity" },
          "file": { "path": "/etc/shadow", "name": "shadow", "mode": 33184, "flags": ["O_RDWR", "O_CREAT"], "change_time": "2024-05-01T09:59:50Z", "in_upper_layer": true },
          "process": {
            "pid": 42, "comm": "vim", "args": ["/etc/shadow"],
            "credentials": { "uid": 0, "user": "root", "cap_effective": 2097152 },
            "executable": { "path": "/usr/bin/vim", "name": "vim" },
            "container": { "id": "c1" },
            "parent": { "pid": 7, "executable": { "path": "/bin/bash", "name": "bash" } },
            "ancestors": [
              { "pid": 7, "executable": { "path": "/bin/bash", "name": "bash" } },
              { "pid": 1, "executable": { "path": "/sbin/init", "name": "init" } }
            ]
          }
        }
        """;

    [Theory]
    [InlineData("open.file.path == \"/etc/shadow\" && open.flags & O_CREAT > 0", true)]
    [InlineData("open.flags & O_TRUNC > 0", false)]
    [InlineData("open.file.rights == 0 || open.file.mode & S_IFMT == S_IFREG", true)]
    [InlineData("open.file.name == \"shadow\" && open.file.change_time < 15s", true)]
    [InlineData("open.file.name == \"shadow\" && open.file.change_time < 5s", false)]
    [InlineData("open.file.in_upper_layer && process.file.name == \"vim\" && process.uid == 0 && process.user == \"root\"", true)]
    [InlineData("open.file.name != \"\" && process.cap_effective & CAP_SYS_ADMIN > 0", true)]
    [InlineData("open.file.name != \"\" && process.parent.file.path == \"/bin/bash\"", true)]
    [InlineData("open.file.name != \"\" && process.ancestors.file.name == \"init\" && process.ancestors.length == 2", true)]
    [InlineData("open.file.name != \"\" && process.ancestors[A].pid == 7 && process.ancestors[A].file.name == \"init\"", false)]
    [InlineData("open.file.name != \"\" && container.id == \"c1\" && process.argv == \"/etc/shadow\"", true)]
    public void Read_DatadogShapedOpenEvent_EvaluatesLikeTheBuiltEvent(string expression, bool expected)
    {
        var evt = SeclEventJson.Read(OpenEvent);
        Assert.Equal("open", evt.EventType);
        var compiled = SeclBinder.Compile(expression);
        Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));
        Assert.Equal(expected, compiled.Evaluate(evt));
    }

    [Theory]
    [InlineData("""{"agent":{"rule_id":"x"},"title":"t","evt":{"name":"setuid"},"process":{"pid":1,"credentials":{"uid":1000,"destination":{"uid":0,"euid":0,"fsuid":0,"user":"root","euser":"root","fsuser":"root"}}}}""",
        "setuid.uid == 0 && setuid.euser == \"root\"")]
    [InlineData("""{"agent":{"rule_id":"x"},"title":"t","evt":{"name":"mount"},"mount":{"fs_type":"proc","mountpoint.path":"/tmp/p","source.path":"none"}}""",
        "mount.mountpoint.path == \"/tmp/p\" && mount.source.path == \"none\"")]
    [InlineData("""{"agent":{"rule_id":"x"},"title":"t","evt":{"name":"mprotect"},"mprotect":{"req_protection":"VM_READ | VM_EXEC","vm_protection":"VM_READ"}}""",
        "mprotect.req_protection & VM_EXEC > 0 && mprotect.vm_protection & VM_EXEC == 0")]
    public void Read_DatadogsOwnShapes_DestinationCredentialsFlatMountPathsAndFlagStrings(string json, string expression)
    {
        var evt = SeclEventJson.Read(json);

        var compiled = SeclBinder.Compile(expression);
        Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));
        Assert.True(compiled.Evaluate(evt), expression);
    }

    [Fact]
    public void WriteThenRead_FixtureEvents_EvaluateTheSame()
    {
        string[] expressions =
        [
            "exec.file.name == \"curl\" && process.ancestors.file.name == \"sshd\" && process.created_at < 5s",
            "exec.argv in [\"-o\"] && exec.args_flags == \"s\" && process.cap_permitted & CAP_NET_RAW > 0",
            "exec.file.name != \"\" && process.ancestors[A].file.name == \"bash\" && process.ancestors[A].uid == 1000",
        ];
        var original = SeclFixtures.Create("exec");
        var roundTripped = SeclEventJson.Read(SeclEventJson.Write(original));
        foreach (var expression in expressions)
        {
            var compiled = SeclBinder.Compile(expression);
            Assert.True(compiled.Evaluate(original), expression);
            Assert.True(compiled.Evaluate(roundTripped), expression);
        }
    }

    [Fact]
    public void Write_Event_UsesOnlyTopLevelSectionsOfTheAgentEventSchema()
    {
        using var schema = JsonDocument.Parse(SharedTestData.Read("datadog-agent-event-linux.schema.json"));
        var sections = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var fixture in new[] { "exec", "open", "dns", "connect" })
        {
            using var written = JsonDocument.Parse(SeclEventJson.Write(SeclFixtures.Create(fixture)));
            Assert.All(written.RootElement.EnumerateObject(), p => Assert.Contains(p.Name, sections));
        }
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"evt\":{}}")]
    public void Read_MalformedJson_ThrowsAFormatOrJsonError(string json)
    {
        var error = Record.Exception(() => SeclEventJson.Read(json));
        Assert.True(error is JsonException or FormatException, error?.GetType().Name);
    }
}
