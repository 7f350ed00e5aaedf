using Bunit;
using Vigil.Core.Contracts.Api;
using Vigil.Web.Clients;
using Vigil.Web.Components.Pages.Rules;

namespace Vigil.Web.Tests;

/// <summary>The agent-rule editor: live validation placed on the expression, Save gated on it, create vs edit.</summary>
public sealed class AgentRuleEditorTests : BunitContext
{
    private const string Broken = "exec.file.name == \"nc\" &&\n  exec.file.colour == \"red\"";

    private static readonly AgentRuleDto Stored = new(Guid.NewGuid(), "netcat_started", "custom", "netcat ran", "exec.file.name == \"nc\"", true, null,
        ["env:prod"], null, null, 3, "id: netcat_started", DateTimeOffset.UtcNow);

    private static AgentRuleChangeDto Change(string id) => new(Stored with { RuleId = id }, new PolicyRevisionDto(7, "ab", DateTimeOffset.UtcNow, 90, "a@x.test"));

    /// <summary>A validator that finds `colour` unknown where it is (line 2), and everything else valid.</summary>
    private static Task<AgentRuleValidationDto> ColourIsUnknown(string expression, CancellationToken _)
    {
        var at = expression.IndexOf("colour", StringComparison.Ordinal);
        return Task.FromResult(at < 0 ? new AgentRuleValidationDto(true, [])
            : new AgentRuleValidationDto(false, [new SeclErrorDto("rule compilation error: field `exec.file.colour` not found (2:3)", 2, 3, at - 10, 16)]));
    }

    private IRenderedComponent<AgentRuleEditor> RenderEditor(AgentRuleDto? rule,
        Func<AgentRuleRequest, Task<AgentRuleChangeDto>>? create = null, Func<string, AgentRuleUpdateRequest, Task<AgentRuleChangeDto>>? update = null) =>
        Render<AgentRuleEditor>(ps => ps.Add(p => p.Rule, rule).Add(p => p.Validate, ColourIsUnknown).Add(p => p.DebounceMilliseconds, 0)
            .Add(p => p.Create, create ?? (_ => throw new InvalidOperationException("create not expected")))
            .Add(p => p.Update, update ?? ((_, _) => throw new InvalidOperationException("update not expected"))));

    [Fact]
    public void TypingABrokenExpression_MarksTheErrorsSpanOnItsLine_AndDisablesSave()
    {
        var cut = RenderEditor(null);
        cut.Find("[data-testid=agent-rule-id]").Input("netcat_started");

        cut.Find("[data-testid=agent-rule-expression]").Input(Broken);

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=agent-rule-expression-error]")));
        var error = cut.Find("[data-testid=agent-rule-expression-error]");
        Assert.Equal(("2", "3"), (error.GetAttribute("data-line"), error.GetAttribute("data-column")));
        Assert.Equal("exec.file.colour", cut.Find("[data-testid=agent-rule-error-span]").TextContent);
        // The second line only, underlined from column 3 over the 16 characters of the field.
        var underline = "  ^" + new string('~', 15);
        Assert.Equal("  exec.file.colour == \"red\"" + underline, cut.Find("[data-testid=agent-rule-error-position]").TextContent);
        Assert.Equal(underline, cut.Find("[data-testid=agent-rule-error-underline]").TextContent);
        Assert.True(cut.Find("[data-testid=agent-rule-save]").HasAttribute("disabled"));
    }

    [Fact]
    public void FixingTheExpression_ClearsTheErrors_AndEnablesSave_WhichCreatesTheRule()
    {
        AgentRuleRequest? sent = null;
        AgentRuleChangeDto? saved = null;
        var cut = Render<AgentRuleEditor>(ps => ps.Add(p => p.Validate, ColourIsUnknown).Add(p => p.DebounceMilliseconds, 0)
            .Add(p => p.Create, r => { sent = r; return Task.FromResult(Change(r.Id)); })
            .Add(p => p.Update, (_, _) => throw new InvalidOperationException("update not expected"))
            .Add(p => p.OnSaved, c => saved = c));
        cut.Find("[data-testid=agent-rule-id]").Input("netcat_started");
        cut.Find("[data-testid=agent-rule-expression]").Input(Broken);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=agent-rule-expression-error]")));

        cut.Find("[data-testid=agent-rule-expression]").Input("exec.file.name == \"nc\"");
        cut.Find("[data-testid=agent-rule-description]").Input("netcat ran");
        cut.Find("[data-testid=agent-rule-tags]").Input("severity:high, team:web");
        cut.Find("[data-testid=agent-rule-host-tags]").Input("env:prod, ");
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=agent-rule-save]").HasAttribute("disabled")));
        cut.Find("[data-testid=agent-rule-editor]").Submit();

        Assert.Empty(cut.FindAll("[data-testid=agent-rule-expression-error]"));
        Assert.Equal(("netcat_started", "exec.file.name == \"nc\"", "netcat ran"), (sent!.Id, sent.Expression, sent.Description));
        Assert.Equal(("high", "web", 2), (sent.Tags!["severity"], sent.Tags["team"], sent.Tags.Count));
        Assert.Equal(new[] { "env:prod" }, sent.HostTags);
        Assert.Equal(7, saved!.Policy.Version);
    }

    [Fact]
    public void EditMode_StartsFromTheStoredRule_KeepsItsId_AndSendsAnUpdateWithItsVersion()
    {
        (string Id, AgentRuleUpdateRequest Request)? sent = null;
        var cut = RenderEditor(Stored, update: (id, r) => { sent = (id, r); return Task.FromResult(Change(id)); });

        Assert.Contains("Edit netcat_started", cut.Find("h3").TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid=agent-rule-id]").HasAttribute("readonly"));
        Assert.Equal("env:prod", cut.Find("[data-testid=agent-rule-host-tags]").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=agent-rule-tags]")); // tags are set at creation only
        Assert.False(cut.Find("[data-testid=agent-rule-save]").HasAttribute("disabled")); // the stored expression compiled

        cut.Find("[data-testid=agent-rule-expression]").Input("exec.file.name in [\"nc\", \"ncat\"]");
        cut.Find("[data-testid=agent-rule-host-tags]").Input("");
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=agent-rule-save]").HasAttribute("disabled")));
        cut.Find("[data-testid=agent-rule-editor]").Submit();

        Assert.Equal("netcat_started", sent!.Value.Id);
        var request = sent.Value.Request;
        Assert.Equal(("exec.file.name in [\"nc\", \"ncat\"]", "netcat ran", 3), (request.Expression, request.Description, request.Version));
        Assert.Empty(request.HostTags!); // emptied: the rule now loads on every host
    }

    [Fact]
    public void NewRule_SaveStaysDisabledUntilTheExpressionHasBeenChecked()
    {
        var cut = RenderEditor(null);

        cut.Find("[data-testid=agent-rule-id]").Input("netcat_started");

        Assert.Equal("New agent rule", cut.Find("h3").TextContent);
        Assert.True(cut.Find("[data-testid=agent-rule-save]").HasAttribute("disabled"));
    }

    [Fact]
    public void RefusedSave_ShowsTheIdConflictAndFieldErrorsNextToTheirFields()
    {
        var cut = RenderEditor(null, create: _ => throw new ApiProblemException(400, "The rule is invalid; nothing was saved.",
            new Dictionary<string, string[]> { ["host_tags"] = ["host_tags takes up to 20 tags such as env:prod."], ["expression"] = ["rule `x` error: syntax error: 1:6: unexpected token"] }));
        cut.Find("[data-testid=agent-rule-id]").Input("netcat_started");
        cut.Find("[data-testid=agent-rule-expression]").Input("exec.file.name == \"nc\"");
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=agent-rule-save]").HasAttribute("disabled")));

        cut.Find("[data-testid=agent-rule-editor]").Submit();

        Assert.Contains("up to 20 tags", cut.Find("[data-testid=error-host_tags]").TextContent, StringComparison.Ordinal);
        Assert.Contains("nothing was saved", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        var error = cut.Find("[data-testid=agent-rule-expression-error]");
        Assert.Equal(("1", "6"), (error.GetAttribute("data-line"), error.GetAttribute("data-column")));
        Assert.True(cut.Find("[data-testid=agent-rule-save]").HasAttribute("disabled"));
    }

    [Fact]
    public void ForbiddenOrConflictingSave_IsShownAsASentence_NotABlankForm()
    {
        var cut = RenderEditor(Stored, update: (_, _) => throw new ApiProblemException(409, "Out-of-the-box rules are enabled, disabled or cloned, not edited.", new Dictionary<string, string[]>()));

        cut.Find("[data-testid=agent-rule-editor]").Submit();

        Assert.Contains("not edited", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal("exec.file.name == \"nc\"", cut.Find("[data-testid=agent-rule-expression]").GetAttribute("value"));
    }
}
