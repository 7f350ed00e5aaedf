using Bunit;
using Vigil.Core.Contracts.Api;
using Vigil.Web.Clients;
using Vigil.Web.Components.Pages.Notifications;

namespace Vigil.Web.Tests;

public sealed class NotificationEditorsTests : BunitContext
{
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow;

    private static NotificationChannelDto Slack(string name = "ops") =>
        new(Guid.NewGuid(), "slack", name, "@slack-" + name, true, 30, null, "hooks.slack.com/…/XYZ", null, null, At, At);

    private IRenderedComponent<ChannelEditor> RenderChannel(NotificationChannelDto? channel, Func<NotificationChannelRequest, Task> save) =>
        Render<ChannelEditor>(ps => ps.Add(p => p.Channel, channel).Add(p => p.Save, save));

    [Fact]
    public void EditChannel_SecretLeftEmpty_IsSentAsNullSoTheApiKeepsIt()
    {
        NotificationChannelRequest? sent = null;
        var cut = RenderChannel(Slack(), r => { sent = r; return Task.CompletedTask; });

        var secret = cut.Find("[data-testid=channel-secret]");
        cut.Find("[data-testid=channel-name]").Input("ops-alerts");
        cut.Find("[data-testid=channel-editor]").Submit();

        Assert.Equal("password", secret.GetAttribute("type"));
        Assert.Equal("", secret.GetAttribute("value") ?? "");
        Assert.Contains("XYZ", secret.GetAttribute("placeholder"), StringComparison.Ordinal);
        Assert.NotNull(sent);
        Assert.Equal("ops-alerts", sent!.Name);
        Assert.Null(sent.Slack!.WebhookUrl);
    }

    [Fact]
    public void NewEmailChannel_Refused_ShowsEachErrorUnderItsField()
    {
        var cut = RenderChannel(null, _ => throw new ApiProblemException(400, "The channel is invalid; nothing was saved.",
            new Dictionary<string, string[]> { ["email.host"] = ["email.host must be a host name or IP address."], ["other"] = ["something else"] }));

        cut.Find("[data-testid=channel-type]").Change("email");
        cut.Find("[data-testid=channel-name]").Input("mail");
        cut.Find("[data-testid=channel-email-to]").Input("a@x.test, b@x.test");
        cut.Find("[data-testid=channel-editor]").Submit();

        Assert.Contains("host name or IP", cut.Find("[data-testid='error-email.host']").TextContent, StringComparison.Ordinal);
        var general = cut.Find("[data-testid=form-error]").TextContent;
        Assert.Contains("nothing was saved", general, StringComparison.Ordinal);
        Assert.Contains("other: something else", general, StringComparison.Ordinal);
        Assert.DoesNotContain("host name or IP", general, StringComparison.Ordinal);
    }

    [Fact]
    public void NewWebhookChannel_SendsUrlMethodAndHeaders()
    {
        NotificationChannelRequest? sent = null;
        var cut = RenderChannel(null, r => { sent = r; return Task.CompletedTask; });

        cut.Find("[data-testid=channel-type]").Change("webhook");
        cut.Find("[data-testid=channel-name]").Input("soar");
        cut.Find("[data-testid=channel-secret]").Input("https://soar.example/hook");
        cut.Find("[data-testid=channel-webhook-method]").Change("PUT");
        cut.Find("[data-testid=channel-webhook-headers]").Input("X-Token: abc:def\n\nX-Env: prod");
        cut.Find("[data-testid=channel-editor]").Submit();

        Assert.Equal("webhook", sent!.Type);
        Assert.Null(sent.Slack);
        Assert.Equal("https://soar.example/hook", sent.Webhook!.Url);
        Assert.Equal("PUT", sent.Webhook.Method);
        Assert.Equal("abc:def", sent.Webhook.Headers!["X-Token"]);
        Assert.Equal("prod", sent.Webhook.Headers["x-env"]);
    }

    [Fact]
    public void NotificationRule_SendsTheCheckedChannelsAndLists()
    {
        var (a, b) = (Slack("a"), Slack("b"));
        NotificationRuleRequest? sent = null;
        var cut = Render<NotificationRuleEditor>(ps => ps.Add(p => p.Channels, [a, b])
            .Add(p => p.Save, r => { sent = r; return Task.CompletedTask; }));

        cut.Find("[data-testid=nrule-name]").Input("critical to ops");
        cut.Find("[data-channel=b]").Change(true);
        cut.Find("[data-testid=nrule-severity]").Change("high");
        cut.Find("[data-testid=nrule-tags]").Input("env:prod, team:web ,");
        cut.Find("[data-testid=rule-editor]").Submit();

        Assert.Equal([b.Id], sent!.ChannelIds);
        Assert.Equal("high", sent.MinSeverity);
        Assert.Equal(["env:prod", "team:web"], sent.Tags);
        Assert.Null(sent.Query);
    }

    [Fact]
    public void NotificationRule_QueryRefused_ShowsTheErrorUnderTheQueryAndKeepsTheInput()
    {
        var cut = Render<NotificationRuleEditor>(ps => ps.Add(p => p.Channels, [Slack()])
            .Add(p => p.Save, _ => throw new ApiProblemException(400, "The notification rule is invalid; nothing was saved.",
                new Dictionary<string, string[]> { ["query"] = ["1:6 expected a value after 'host:'"] })));

        cut.Find("[data-testid=nrule-query]").Input("host:");
        cut.Find("[data-testid=rule-editor]").Submit();

        Assert.Contains("1:6 expected a value", cut.Find("[data-testid=error-query]").TextContent, StringComparison.Ordinal);
        Assert.Equal("host:", cut.Find("[data-testid=nrule-query]").GetAttribute("value"));
    }
}
