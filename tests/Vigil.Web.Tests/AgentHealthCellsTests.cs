using Bunit;
using Vigil.Core.Contracts.Api;
using Vigil.Web.Components.Pages.Agents;

namespace Vigil.Web.Tests;

public sealed class AgentHealthCellsTests : BunitContext
{
    private static readonly AgentHealthDto Health = new(
        [new("process", "ebpf", "ok", "20 programs attached"), new("file", "inotify", "degraded", "stopped: queue overflow"),
         new("dns", "raw_socket", "failed", "no CAP_NET_RAW")],
        DateTimeOffset.UtcNow, EventsPerSecond: 1234.5, EventsSeen: 10_000, EventsMatched: 10, EventsSent: 10,
        EventsDropped: 1_500, EventsDroppedLastInterval: 7);

    [Fact]
    public void Health_ShowsAChipPerKindWithItsStateRateAndHighlightedDrops()
    {
        var cut = Render<AgentHealthCells>(ps => ps.Add(p => p.Health, Health));

        var chips = cut.FindAll("[data-testid=probe-chip]");
        Assert.Equal(["process", "kernel", "file", "dns"], chips.Select(c => c.GetAttribute("data-kind")));
        Assert.Equal(["ok", "unknown", "degraded", "failed"], chips.Select(c => c.GetAttribute("data-state")));
        Assert.Equal("dns: raw_socket", chips[3].TextContent.Trim());
        Assert.Equal("no CAP_NET_RAW", chips[3].GetAttribute("title"));
        Assert.Equal("1234.5", cut.Find("[data-testid=agent-rate]").TextContent.Trim());
        var dropped = cut.Find("[data-testid=agent-dropped]");
        Assert.Contains("dropped-nonzero", dropped.ClassList);
        Assert.StartsWith("1,500", dropped.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("(+7)", cut.Find("[data-testid=agent-dropped-recent]").TextContent.Trim());
    }

    [Fact]
    public void NothingDropped_IsNotHighlighted()
    {
        var cut = Render<AgentHealthCells>(ps => ps.Add(p => p.Health, Health with { EventsDropped = 0, EventsDroppedLastInterval = 0 }));

        var dropped = cut.Find("[data-testid=agent-dropped]");
        Assert.DoesNotContain("dropped-nonzero", dropped.ClassList);
        Assert.Equal("0", dropped.TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=agent-dropped-recent]"));
    }

    [Fact]
    public void NoHeartbeatYet_SaysNotReported()
    {
        var cut = Render<AgentHealthCells>(ps => ps.Add(p => p.Health, null));

        Assert.Equal("not reported", cut.Find("[data-testid=agent-probes]").TextContent.Trim());
        Assert.Equal("–", cut.Find("[data-testid=agent-rate]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=probe-chip]"));
    }
}
