using Bunit;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Query.Evaluation;
using Vigil.Web.Components.Pages.Signals;

namespace Vigil.Web.Tests;

public sealed class AssigneePickerTests : BunitContext
{
    private static readonly OrgUserDto Ann = new(Guid.NewGuid(), "Ann", "ann@x.test", "responder", false);
    private static readonly OrgUserDto Gone = new(Guid.NewGuid(), "Gone", "gone@x.test", "admin", true);

    [Fact]
    public void Pick_AddsTheAssigneeTermThatTheQueryLanguageReads()
    {
        string? toggled = null;
        var cut = Render<AssigneePicker>(ps => ps.Add(p => p.Users, [Ann, Gone]).Add(p => p.OnToggle, (string term) => toggled = term));

        cut.Find("[data-testid=assignee-picker]").Change(Ann.Id.ToString());

        Assert.Equal($"@workflow.triage.assignee.uuid:\"{Ann.Id:D}\"", toggled);
        Assert.True(QueryCompiler.TryCompile(toggled, out _, out _));
        Assert.DoesNotContain("gone@x.test", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Ann (ann@x.test)", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void PickNobody_ChangesNothing()
    {
        string? toggled = null;
        var cut = Render<AssigneePicker>(ps => ps.Add(p => p.Users, [Ann]).Add(p => p.OnToggle, (string term) => toggled = term));

        cut.Find("[data-testid=assignee-picker]").Change("");

        Assert.Null(toggled);
    }
}
