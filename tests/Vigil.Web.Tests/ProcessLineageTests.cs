using System.Text.Json;
using Vigil.Web.Signals;

namespace Vigil.Web.Tests;

public sealed class ProcessLineageTests
{
    private const string WithAncestors = """
        { "evt": { "name": "exec" }, "process": { "pid": 42, "user": "root", "executable": { "path": "/usr/bin/bash", "name": "bash" }, "args": ["-c", "id"],
          "ancestors": [ { "pid": 7, "comm": "nginx", "executable": { "path": "/usr/sbin/nginx" } }, { "pid": 1, "comm": "systemd" } ] } }
        """;

    [Fact]
    public void From_EventWithAncestors_ListsOldestFirstAndMarksTheMatchedProcessLast()
    {
        using var json = JsonDocument.Parse(WithAncestors);

        var chain = ProcessLineage.From(json.RootElement);

        Assert.Equal(["systemd", "nginx", "bash"], chain.Select(p => p.Name));
        Assert.Equal([1L, 7L, 42L], chain.Select(p => p.Pid!.Value));
        Assert.Equal([false, false, true], chain.Select(p => p.Matched));
        Assert.Equal("/usr/bin/bash -c id", chain[2].CommandLine);
    }

    [Fact]
    public void From_EventWithOnlyParent_UsesTheParent()
    {
        using var json = JsonDocument.Parse("""{ "process": { "comm": "curl", "parent": { "comm": "sh", "pid": 3 } } }""");

        var chain = ProcessLineage.From(json.RootElement);

        Assert.Equal(["sh", "curl"], chain.Select(p => p.Name));
        Assert.True(chain[1].Matched);
    }

    [Fact]
    public void From_EventWithoutProcess_IsEmpty()
    {
        using var json = JsonDocument.Parse("""{ "evt": { "name": "dns" } }""");

        Assert.Empty(ProcessLineage.From(json.RootElement));
    }

    [Fact]
    public void WhatHappened_Exec_SaysWhoRanWhatWhereAndFromWhat()
    {
        using var json = JsonDocument.Parse(WithAncestors);

        Assert.Equal("root ran /usr/bin/bash -c id on web-1, started by /usr/sbin/nginx.", WhatHappened.Describe("web-1", json.RootElement));
    }

    [Fact]
    public void WhatHappened_FileOpen_NamesTheFile()
    {
        using var json = JsonDocument.Parse("""{ "evt": { "name": "open" }, "file": { "path": "/etc/shadow" }, "process": { "comm": "cat", "user": "bob" } }""");

        Assert.Equal("cat (as bob) opened /etc/shadow on db-2.", WhatHappened.Describe("db-2", json.RootElement));
    }
}

public sealed class ProcessLineageFromApiTests
{
    [Fact]
    public void FromEntities_ApiTreeMatchedFirst_IsShownRootFirstWithCommandLines()
    {
        using var json = System.Text.Json.JsonDocument.Parse("""
            { "process": { "pid": 42, "user": "root", "executable": { "path": "/usr/bin/bash", "name": "bash" }, "args": ["-c", "id"],
              "parent": { "pid": 7, "executable": { "path": "/usr/sbin/nginx", "name": "nginx" } },
              "ancestors": [ { "pid": 7, "executable": { "path": "/usr/sbin/nginx", "name": "nginx" } }, { "pid": 1, "comm": "systemd" } ] } }
            """);
        var entities = Vigil.Core.Contracts.Api.SignalEntities.From(json.RootElement, "web-1");

        var chain = ProcessLineage.FromEntities(entities.ProcessTree);

        Assert.Equal(["systemd", "nginx", "bash"], chain.Select(p => p.Name));
        Assert.Equal([false, false, true], chain.Select(p => p.Matched));
        Assert.Equal("/usr/bin/bash -c id", chain[^1].CommandLine);
        Assert.Equal(ProcessLineage.From(json.RootElement).Select(p => (p.Pid, p.Name, p.Matched)), chain.Select(p => (p.Pid, p.Name, p.Matched)));
    }
}
