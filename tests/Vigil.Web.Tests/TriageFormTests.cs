using Bunit;
using Vigil.Core.Contracts.Api;
using Vigil.Web.Components.Pages.Signals;
using Vigil.Web.Signals;

namespace Vigil.Web.Tests;

public sealed class TriageFormTests : BunitContext
{
    private static readonly Guid Me = Guid.NewGuid();

    private static SignalTriageDto Open(Guid? assignee = null, int version = 1) =>
        new(Guid.NewGuid(), "open", null, null, assignee, assignee is null ? null : "me@test", null, version);

    private IRenderedComponent<TriageForm> RenderForm(SignalTriageDto triage, List<TriageCommand> sent, bool accept = true) =>
        Render<TriageForm>(ps => ps.Add(p => p.Triage, triage).Add(p => p.CurrentUserId, Me)
            .Add(p => p.Submit, command => { sent.Add(command); return Task.FromResult(accept); }));

    [Fact]
    public void Archive_WithoutReason_CannotBeApplied()
    {
        var sent = new List<TriageCommand>();
        var cut = RenderForm(Open(), sent);

        cut.Find("[data-testid=triage-state]").Change("archived");

        Assert.NotNull(cut.Find("[data-testid=triage-reason-required]"));
        Assert.True(cut.Find("[data-testid=triage-apply]").HasAttribute("disabled"));
        Assert.Empty(sent);
    }

    [Fact]
    public void Archive_WithReasonAndComment_SendsThem()
    {
        var sent = new List<TriageCommand>();
        var cut = RenderForm(Open(), sent);

        cut.Find("[data-testid=triage-state]").Change("archived");
        cut.Find("[data-testid=triage-archive-reason]").Change("false_positive");
        cut.Find("[data-testid=triage-archive-comment]").Input(" backup job ");
        cut.Find("[data-testid=triage-apply]").Click();

        Assert.Equal([new TriageCommand.ChangeState("archived", "false_positive", "backup job")], sent);
    }

    [Fact]
    public void ChangeState_ToUnderReview_SendsNoReason()
    {
        var sent = new List<TriageCommand>();
        var cut = RenderForm(Open(), sent);

        cut.Find("[data-testid=triage-state]").Change("under_review");
        cut.Find("[data-testid=triage-apply]").Click();

        Assert.Equal([new TriageCommand.ChangeState("under_review", null, null)], sent);
    }

    [Fact]
    public void AssignToMe_Unassigned_SendsMyId_AndAssignedToMe_OffersUnassign()
    {
        var sent = new List<TriageCommand>();
        var cut = RenderForm(Open(), sent);

        Assert.Empty(cut.FindAll("[data-testid=triage-unassign]"));
        cut.Find("[data-testid=triage-assign-me]").Click();
        Assert.Equal([new TriageCommand.Assign(Me)], sent);

        cut.Render(ps => ps.Add(p => p.Triage, Open(assignee: Me, version: 2)));

        Assert.Empty(cut.FindAll("[data-testid=triage-assign-me]"));
        Assert.Equal("me@test", cut.Find("[data-testid=triage-assignee]").TextContent);
        cut.Find("[data-testid=triage-unassign]").Click();
        Assert.Equal(new TriageCommand.Assign(null), sent[^1]);
    }

    [Fact]
    public void Comment_Accepted_IsSentTrimmedAndTheBoxEmptied()
    {
        var sent = new List<TriageCommand>();
        var cut = RenderForm(Open(), sent);

        cut.Find("[data-testid=triage-comment]").Input("  checked with ops  ");
        cut.Find("[data-testid=triage-comment-submit]").Click();

        Assert.Equal([new TriageCommand.Comment("checked with ops")], sent);
        Assert.Equal("", cut.Find("[data-testid=triage-comment]").GetAttribute("value") ?? "");
    }

    [Fact]
    public void Comment_Refused_StaysInTheBoxAndTheErrorShows()
    {
        var sent = new List<TriageCommand>();
        var cut = RenderForm(Open(), sent, accept: false);

        cut.Find("[data-testid=triage-comment]").Input("keep me");
        cut.Find("[data-testid=triage-comment-submit]").Click();
        cut.Render(ps => ps.Add(p => p.Errors, ["text: text is required (at most 4000 characters)."]));

        Assert.Equal("keep me", cut.Find("[data-testid=triage-comment]").GetAttribute("value"));
        Assert.Contains("at most 4000", cut.Find("[data-testid=triage-error]").TextContent, StringComparison.Ordinal);
    }
}
