using Bunit;
using Vigil.Core.Contracts.Api;
using Vigil.Web.Clients;
using Vigil.Web.Components.Pages.Suppressions;

namespace Vigil.Web.Tests;

public sealed class SuppressionEditorTests : BunitContext
{
    private IRenderedComponent<SuppressionEditor> RenderEditor(SuppressionDto? existing, Func<SuppressionRequest, Task> save,
        Func<SuppressionPreviewRequest, Task<SuppressionPreviewDto>>? preview = null) =>
        Render<SuppressionEditor>(ps => ps.Add(p => p.Suppression, existing).Add(p => p.Rules, [])
            .Add(p => p.Save, save).Add(p => p.Preview, preview ?? (_ => Task.FromResult(new SuppressionPreviewDto(0, 0, 0, false)))));

    [Fact]
    public void Save_SendsTheFieldsWithTheExpiryInUtc()
    {
        SuppressionRequest? sent = null;
        var cut = RenderEditor(null, r => { sent = r; return Task.CompletedTask; });

        cut.Find("[data-testid=sup-name]").Input(" backups ");
        cut.Find("[data-testid=sup-query]").Input("@process.executable.path:/usr/bin/rsync");
        cut.Find("[data-testid=sup-reason]").Input("nightly backup job");
        cut.Find("[data-testid=sup-expires]").Change("2031-05-01T08:30");
        cut.Find("[data-testid=suppression-editor]").Submit();

        Assert.Equal(new SuppressionRequest("backups", "@process.executable.path:/usr/bin/rsync", "nightly backup job", null,
            new DateTimeOffset(2031, 5, 1, 8, 30, 0, TimeSpan.Zero), true), sent);
    }

    [Fact]
    public void Refused_ShowsTheQueryErrorUnderTheQuery()
    {
        var cut = RenderEditor(null, _ => throw new ApiProblemException(400, "The suppression is invalid; nothing was saved.",
            new Dictionary<string, string[]> { ["query"] = ["1:1 unbalanced parenthesis opened at 1:1"] }));

        cut.Find("[data-testid=sup-query]").Input("(a OR b");
        cut.Find("[data-testid=suppression-editor]").Submit();

        Assert.Contains("unbalanced parenthesis", cut.Find("[data-testid=error-query]").TextContent, StringComparison.Ordinal);
        Assert.Contains("nothing was saved", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Edit_StartsFromTheStoredValuesAndPreviewsTheQuery()
    {
        var stored = new SuppressionDto(Guid.NewGuid(), "ansible", "@process.file.name:ansible", "config management", null, "a@x.test",
            null, false, DateTimeOffset.UtcNow);
        SuppressionPreviewRequest? asked = null;
        var cut = RenderEditor(stored, _ => Task.CompletedTask, p => { asked = p; return Task.FromResult(new SuppressionPreviewDto(12, 2, 400, false)); });

        cut.Find("[data-testid=sup-preview-button]").Click();

        Assert.Equal("ansible", cut.Find("[data-testid=sup-name]").GetAttribute("value"));
        Assert.False(cut.Find("[data-testid=sup-enabled]").HasAttribute("checked"));
        Assert.Equal("@process.file.name:ansible", asked!.Query);
        Assert.Contains("12 of 400 events", cut.Find("[data-testid=sup-preview]").TextContent, StringComparison.Ordinal);
    }
}
