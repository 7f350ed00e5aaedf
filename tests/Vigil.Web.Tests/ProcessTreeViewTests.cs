using Bunit;
using Vigil.Web.Components.Pages.Signals;
using Vigil.Web.Signals;

namespace Vigil.Web.Tests;

public sealed class ProcessTreeViewTests : BunitContext
{
    [Fact]
    public void Render_Lineage_IndentsAncestorsAndHighlightsOnlyTheMatchedProcess()
    {
        ProcessStep[] nodes =
        [
            new(1, "systemd", "/usr/lib/systemd/systemd", null, "root", false),
            new(7, "nginx", "/usr/sbin/nginx", "/usr/sbin/nginx -g daemon off;", "www-data", false),
            new(42, "bash", "/usr/bin/bash", "/usr/bin/bash -c id", "www-data", true),
        ];

        var cut = Render<ProcessTreeView>(ps => ps.Add(p => p.Nodes, nodes));

        var items = cut.FindAll("[data-testid=process-node]");
        Assert.Equal(3, items.Count);
        Assert.Equal(["false", "false", "true"], items.Select(i => i.GetAttribute("data-matched")));
        Assert.Contains("matched", items[2].ClassList);
        Assert.Equal("--depth: 2", items[2].GetAttribute("style"));
        Assert.Equal("/usr/bin/bash -c id", items[2].QuerySelector(".process-cmd")!.TextContent);
    }

    [Fact]
    public void Render_NoProcess_SaysSo()
    {
        var cut = Render<ProcessTreeView>(ps => ps.Add(p => p.Nodes, Array.Empty<ProcessStep>()));

        Assert.Contains("no process context", cut.Find("[data-testid=process-tree-empty]").TextContent, StringComparison.Ordinal);
    }
}
