using System.Text;
using System.Text.Encodings.Web;
using HandlebarsDotNet;

namespace Vigil.Api.Features.Notifications.Templates;

/// <summary>An encoder of substituted values; subclasses say how one string is escaped.</summary>
internal abstract class ValueEncoder : ITextEncoder
{
    protected abstract void Write(string text, TextWriter target);

    public void Encode(StringBuilder? text, TextWriter target) => Write(text?.ToString() ?? "", target);

    public void Encode(string? text, TextWriter target) => Write(text ?? "", target);

    public void Encode<T>(T? text, TextWriter target) where T : IEnumerator<char>
    {
        var buffer = new StringBuilder();
        while (text is not null && text.MoveNext())
            buffer.Append(text.Current);
        Write(buffer.ToString(), target);
    }
}

/// <summary>
/// Values substituted into a Markdown template are text, not Markdown: their punctuation is escaped so a
/// process argument cannot add links, emphasis or raw HTML to a message.
/// </summary>
internal sealed class MarkdownTextEncoder : ValueEncoder
{
    private const string Special = "\\`*_{}[]()<>#+-!|~&";

    protected override void Write(string text, TextWriter target)
    {
        foreach (var c in text)
        {
            if (Special.Contains(c))
                target.Write('\\');
            target.Write(c);
        }
    }
}

/// <summary>Values substituted into a JSON payload template are JSON-string escaped (the template writes the quotes).</summary>
internal sealed class JsonStringTextEncoder : ValueEncoder
{
    protected override void Write(string text, TextWriter target) => target.Write(JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(text));
}
