using Bunit;
using Vigil.Core.Query.Evaluation;
using Vigil.Web.Components.Pages.Signals;
using Vigil.Web.Search;

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

    [Fact]
    public void Click_ContainerValue_AddsTheContainerIdTermShowingTheShortId()
    {
        const string id = "3f9a0c1d2e4b5a6978877665544332211000ffeeddccbbaa9988776655443322";
        string? term = null;
        var cut = Render<FacetPanel>(ps => ps.Add(p => p.Name, "container").Add(p => p.Title, "Container")
            .Add(p => p.Counts, new Dictionary<string, int> { [id] = 4 })
            .Add(p => p.Label, FacetTerms.ShortContainerId)
            .Add(p => p.OnToggle, (string t) => term = t));

        cut.Find("[data-testid=facet-value]").Click();

        Assert.Equal("3f9a0c1d2e4b", cut.Find(".facet-label").TextContent);
        Assert.Equal($"@container.id:\"{id}\"", term);
        Assert.True(QueryCompiler.TryCompile(term, out _, out var diagnostics), string.Join("; ", diagnostics));
    }

    [Fact]
    public void Render_ImageInQuery_IsMarkedActiveAndClickTakesItOut()
    {
        var query = "host:\"web-1\" image_name:\"nginx:1.25\"";
        string? term = null;
        var cut = Render<FacetPanel>(ps => ps.Add(p => p.Name, "image").Add(p => p.Title, "Image")
            .Add(p => p.Counts, new Dictionary<string, int> { ["nginx:1.25"] = 2, ["redis"] = 1 })
            .Add(p => p.Query, query)
            .Add(p => p.OnToggle, (string t) => term = t));

        Assert.Equal("true", cut.Find("[data-value=\"nginx:1.25\"]").GetAttribute("aria-pressed"));
        Assert.Equal("false", cut.Find("[data-value=redis]").GetAttribute("aria-pressed"));
        cut.Find("[data-value=\"nginx:1.25\"]").Click();
        Assert.Equal("host:\"web-1\"", FacetTerms.Toggle(query, term!));
    }
}
