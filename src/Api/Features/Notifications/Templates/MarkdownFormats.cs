using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Vigil.Api.Features.Notifications.Templates;

/// <summary>
/// One rendered Markdown message, written for each channel: HTML for email (raw HTML in the Markdown is
/// shown as text, never interpreted), Slack mrkdwn, and plain text (email text part, PagerDuty summary).
/// </summary>
public static class MarkdownFormats
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    public static string ToHtml(string markdown) => Markdown.ToHtml(markdown, Pipeline);

    public static string ToPlainText(string markdown) => Markdown.ToPlainText(markdown, Pipeline).Trim();

    /// <summary>Plain text cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    public static string ToSlackMrkdwn(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var output = new StringBuilder();
        foreach (var block in document)
        {
            WriteBlock(block, output, "");
        }
        return output.ToString().Trim();
    }

    private static void WriteBlock(Block block, StringBuilder output, string prefix)
    {
        switch (block)
        {
            case HeadingBlock heading:
                output.Append(prefix).Append('*');
                WriteInlines(heading.Inline, output);
                output.Append("*\n\n");
                break;
            case ParagraphBlock paragraph:
                output.Append(prefix);
                WriteInlines(paragraph.Inline, output);
                output.Append(prefix.Length > 0 ? "\n" : "\n\n");
                break;
            case ListBlock list:
                var number = 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var bullet = list.IsOrdered ? $"{number++}. " : "• ";
                    foreach (var inner in item)
                        WriteBlock(inner, output, prefix + bullet);
                }
                output.Append('\n');
                break;
            case FencedCodeBlock or CodeBlock:
                var code = ((LeafBlock)block).Lines.ToString();
                output.Append("```\n").Append(Escape(code)).Append("\n```\n\n");
                break;
            case QuoteBlock quote:
                foreach (var inner in quote)
                    WriteBlock(inner, output, "> ");
                break;
            case ThematicBreakBlock:
                output.Append("―――\n\n");
                break;
            case LeafBlock leaf:
                output.Append(Escape(leaf.Lines.ToString())).Append("\n\n");
                break;
        }
    }

    private static void WriteInlines(ContainerInline? inlines, StringBuilder output)
    {
        for (var inline = inlines?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    output.Append(Escape(literal.Content.ToString()));
                    break;
                case CodeInline code:
                    output.Append('`').Append(Escape(code.Content)).Append('`');
                    break;
                case EmphasisInline emphasis:
                    var mark = emphasis.DelimiterCount >= 2 ? "*" : "_";
                    output.Append(mark);
                    WriteInlines(emphasis, output);
                    output.Append(mark);
                    break;
                case LinkInline link when !link.IsImage:
                    var text = new StringBuilder();
                    WriteInlines(link, text);
                    output.Append('<').Append(link.Url?.Replace("|", "%7C").Replace(">", "%3E")).Append('|').Append(text).Append('>');
                    break;
                case LineBreakInline:
                    output.Append('\n');
                    break;
                case ContainerInline container:
                    WriteInlines(container, output);
                    break;
                case HtmlEntityInline entity:
                    output.Append(Escape(entity.Transcoded.ToString()));
                    break;
                default:
                    output.Append(Escape(inline.ToString() ?? ""));
                    break;
            }
        }
    }

    /// <summary>Slack's control characters in text (&amp;, &lt;, &gt;) must be escaped as entities.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
