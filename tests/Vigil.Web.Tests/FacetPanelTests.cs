using Bunit;
using Vigil.Web.Components.Pages.Signals;

namespace Vigil.Web.Tests;

public sealed class FacetPanelTests : BunitContext
{
    private static readonly Dictionary<string, int> Hosts = new() { ["web-1"] = 3, ["db-1"] = 9, ["cache 2"] = 1 };

    [Fact]
    public void Render_Counts_MostFrequentFirstWithTheirCounts()
    {
        var cut = Render<FacetPanel>(ps => ps.Add(p => p.Name, "host").Add(p => p.Title, "Host").Add(p => p.Counts, Hosts));

        var values = cut.FindAll("[data-testid=facet-value]");
        Assert.Equal(["db-1", "web-1", "cache 2"], values.Select(v => v.GetAttribute("data-value")));
        Assert.Equal(["9", "3", "1"], cut.FindAll("[data-testid=facet-count]").Select(c => c.TextContent));
    }

    [Fact]
    public void Click_Value_TogglesItsQueryTerm()
    {
        string? term = null;
        var cut = Render<FacetPanel>(ps => ps.Add(p => p.Name, "severity").Add(p => p.Title, "Severity")
            .Add(p => p.Counts, new Dictionary<string, int> { ["high"] = 2 })
            .Add(p => p.OnToggle, (string t) => term = t));

        cut.Find("[data-value=high]").Click();

        Assert.Equal("status:\"high\"", term); // severity is "status" in the query language, as in Datadog
    }

    [Fact]
    public void Render_ValueAlreadyInQuery_IsMarkedActive()
    {
        var cut = Render<FacetPanel>(ps => ps.Add(p => p.Name, "host").Add(p => p.Title, "Host").Add(p => p.Counts, Hosts)
            .Add(p => p.Query, "status:\"high\" host:\"web-1\""));

        Assert.Equal("true", cut.Find("[data-value=web-1]").GetAttribute("aria-pressed"));
        Assert.Equal("false", cut.Find("[data-value=db-1]").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Render_Label_ShowsRuleNamesInsteadOfIds()
    {
        var id = Guid.NewGuid().ToString();
        var cut = Render<FacetPanel>(ps => ps.Add(p => p.Name, "rule").Add(p => p.Title, "Rule")
            .Add(p => p.Counts, new Dictionary<string, int> { [id] = 1 })
            .Add(p => p.Label, v => v == id ? "Repeated auth failures" : v));

        Assert.Equal("Repeated auth failures", cut.Find(".facet-label").TextContent);
        Assert.Equal($"rule:\"{id}\"", cut.Find("[data-testid=facet-value]").GetAttribute("title"));
    }
}
