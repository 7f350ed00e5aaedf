using Bunit;
using Vigil.Web.Components.Shared;

namespace Vigil.Web.Tests;

public sealed class QueryBarTests : BunitContext
{
    [Fact]
    public void Submit_TypedQuery_RaisesSearchWithTheTrimmedText()
    {
        string? searched = null;
        var cut = Render<QueryBar>(ps => ps.Add(p => p.OnSearch, (string q) => searched = q));

        cut.Find("[data-testid=query-input]").Input("  host:web-1 status:high ");
        cut.Find("form").Submit();

        Assert.Equal("host:web-1 status:high", searched);
    }

    [Fact]
    public void Errors_FromTheApi_AreListedUnderTheBarAndMarkTheInputInvalid()
    {
        var cut = Render<QueryBar>(ps => ps
            .Add(p => p.Query, "host:(")
            .Add(p => p.Errors, ["query: expected a value (at 1:7)"]));

        Assert.Equal("query: expected a value (at 1:7)", cut.Find("[data-testid=query-error] li").TextContent);
        Assert.Equal("true", cut.Find("[data-testid=query-input]").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void Query_ChangedByThePage_ReplacesTheText()
    {
        var cut = Render<QueryBar>(ps => ps.Add(p => p.Query, "host:a"));

        cut.Render(ps => ps.Add(p => p.Query, "host:a status:\"high\""));

        Assert.Equal("host:a status:\"high\"", cut.Find("[data-testid=query-input]").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=query-error]"));
    }

    [Fact]
    public void Clear_RaisesAnEmptySearch()
    {
        string? searched = null;
        var cut = Render<QueryBar>(ps => ps.Add(p => p.Query, "host:a").Add(p => p.OnSearch, (string q) => searched = q));

        cut.Find("[data-testid=query-clear]").Click();

        Assert.Equal("", searched);
    }
}
