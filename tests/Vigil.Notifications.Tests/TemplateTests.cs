using Vigil.Api.Features.Notifications;
using Vigil.Api.Features.Notifications.Delivery;
using Vigil.Api.Features.Notifications.Templates;
using Vigil.Core.Domain;
using Vigil.Data.Entities;

namespace Vigil.Notifications.Tests;

/// <summary>The template language on its own: variables, Datadog blocks, escaping, errors with positions.</summary>
public sealed class TemplateTests
{
    private readonly NotificationTemplates _templates = new();

    private static NotificationSubject Subject(Severity severity = Severity.Critical, string sample = """{"process":{"file":{"path":"/tmp/[evil](http://x)"}}}""")
    {
        var signal = new Signal
        {
            RuleId = "r1", Title = "Miner on db-1", Severity = severity, Hostname = "db-1", GroupKey = "g", SampleEventJson = sample,
            FirstSeen = DateTime.UtcNow, LastSeen = DateTime.UtcNow,
        };
        return new NotificationSubject(signal, "Crypto miner", "threshold", severity.ToWire(), "http://vigil.test/signals/1");
    }

    [Fact]
    public void Render_Variables_AndAttributesAsData()
    {
        var text = _templates.RenderMarkdown("{{signal.title}}|{{host}}|{{rule.name}}|{{signal.severity}}|{{signal.url}}|{{@process.file.path}}", Subject());
        Assert.Equal(@"Miner on db\-1|db\-1|Crypto miner|critical|http://vigil.test/signals/1|/tmp/\[evil\]\(http://x\)", text);
        // Escaped values stay text: no link appears once rendered.
        Assert.DoesNotContain("<a", MarkdownFormats.ToHtml(text), StringComparison.Ordinal);
    }

    [Fact]
    public void IsMatch_AndIsExactMatch_Branch()
    {
        const string template = """{{#is_match "severity" "crit"}}page{{else}}chat{{/is_match}}/{{#is_exact_match "host" "db-1" "db-2"}}db{{/is_exact_match}}/{{#is_match "@process.file.path" "/tmp/*"}}tmp{{/is_match}}""";
        Assert.Equal("page/db/tmp", _templates.RenderMarkdown(template, Subject()));
        Assert.Equal("chat/db/", _templates.RenderMarkdown(template, Subject(Severity.Low, "{}")));
    }

    [Fact]
    public void MissingAttribute_RendersEmpty()
    {
        Assert.Equal("[]", _templates.RenderMarkdown("[{{@no.such.thing}}]", Subject()));
        Assert.Null(_templates.Validate("[{{@no.such.thing}}] {{nope}}", json: false, Subject()));
    }

    [Theory]
    [InlineData("ok {{signal.title", 1, 4)]
    [InlineData("first\nsecond {{#if host}}x{{/if}} {{oops", 2, 29)]
    [InlineData("line one\n  {{/if}}", 2, 3)]
    [InlineData("a\nb\n{{#if host}}never closed", 3, 1)]
    public void SyntaxError_ReportsLineAndColumn(string template, int line, int column)
    {
        var error = _templates.Validate(template, json: false, Subject());
        Assert.NotNull(error);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Markdown_ToSlackMrkdwn_ConvertsEmphasisLinksAndEscapes()
    {
        Assert.Equal("*bold* _it_ <http://x/y|link> `code` a &lt; b",
            MarkdownFormats.ToSlackMrkdwn("**bold** *it* [link](http://x/y) `code` a < b"));
        Assert.Equal("bold link", MarkdownFormats.ToPlainText("**bold** [link](http://x)"));
    }

    [Fact]
    public void Backoff_DoublesUpToMax_AndHonoursLongerRetryAfter()
    {
        var options = new NotificationOptions { RetryBaseDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromMinutes(1) };
        Assert.Equal(TimeSpan.FromSeconds(10), NotificationDeliveryJob.Backoff(options, 1, null));
        Assert.Equal(TimeSpan.FromSeconds(40), NotificationDeliveryJob.Backoff(options, 3, null));
        Assert.Equal(TimeSpan.FromMinutes(1), NotificationDeliveryJob.Backoff(options, 9, null));
        Assert.Equal(TimeSpan.FromSeconds(90), NotificationDeliveryJob.Backoff(options, 1, TimeSpan.FromSeconds(90)));
        Assert.Equal(TimeSpan.FromSeconds(10), NotificationDeliveryJob.Backoff(options, 1, TimeSpan.FromSeconds(2)));
    }
}
