using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using HandlebarsDotNet;

namespace Vigil.Api.Features.Notifications.Templates;

/// <summary>
/// Handlebars templates of notifications: Markdown messages (values escaped as Markdown text) and JSON
/// webhook payloads (values escaped as JSON strings). Compiled templates are cached by text. Rendering
/// never fails a delivery: a missing variable renders empty, and a template that throws at render time
/// falls back to the default one.
/// </summary>
public sealed partial class NotificationTemplates
{
    private const int MaxCached = 500;
    private readonly IHandlebars _markdown = Create(new MarkdownTextEncoder());
    private readonly IHandlebars _json = Create(new JsonStringTextEncoder());
    private readonly ConcurrentDictionary<(bool Json, string Text), HandlebarsTemplate<object, object>> _cache = new();

    public const string DefaultMessage =
        "{{#if signal.message}}{{{signal.message}}}\n\n{{/if}}" +
        "**Severity:** {{signal.severity}} · **Host:** {{host}} · **Rule:** {{rule.name}}\n\n" +
        "{{#if @process.executable.path}}**Process:** {{@process.executable.path}}\n\n{{/if}}" +
        "{{#if @file.path}}**File:** {{@file.path}}\n\n{{/if}}" +
        "{{#if signal.reason}}{{signal.reason}}\n\n{{/if}}" +
        "{{#is_exact_match \"notification.kind\" \"test\"}}_This is a test notification._\n{{/is_exact_match}}";

    public const string DefaultWebhookPayload = """
        {
          "kind": "{{notification.kind}}",
          "id": "{{signal.id}}",
          "title": "{{signal.title}}",
          "severity": "{{signal.severity}}",
          "status": "{{signal.status}}",
          "host": "{{host}}",
          "rule": { "id": "{{rule.id}}", "name": "{{rule.name}}", "type": "{{rule.type}}" },
          "url": "{{signal.url}}",
          "message": "{{signal.message}}",
          "first_seen": "{{signal.first_seen}}",
          "last_seen": "{{signal.last_seen}}",
          "events_matched": {{signal.events_matched}}
        }
        """;

    public string RenderMarkdown(string? template, NotificationSubject subject) =>
        Render(false, template ?? DefaultMessage, DefaultMessage, subject);

    public string RenderJson(string? template, NotificationSubject subject) =>
        Render(true, template ?? DefaultWebhookPayload, DefaultWebhookPayload, subject);

    private string Render(bool json, string template, string fallback, NotificationSubject subject)
    {
        var context = TemplateVariables.Context(subject);
        var data = context[TemplateVariables.EventKey]!;
        try
        {
            return Compiled(json, template)(context, data);
        }
        catch (HandlebarsException)
        {
            return Compiled(json, fallback)(context, data);
        }
    }

    private HandlebarsTemplate<object, object> Compiled(bool json, string text)
    {
        if (_cache.Count > MaxCached)
            _cache.Clear();
        return _cache.GetOrAdd((json, text), key => (key.Json ? _json : _markdown).Compile(key.Text));
    }

    /// <summary>Compiles and test-renders a template against a sample signal; null when it is usable.</summary>
    public TemplateError? Validate(string template, bool json, NotificationSubject sample)
    {
        try
        {
            var context = TemplateVariables.Context(sample);
            var rendered = (json ? _json : _markdown).Compile(template)(context, context[TemplateVariables.EventKey]!);
            if (json)
            {
                try
                {
                    using var _ = JsonDocument.Parse(rendered);
                }
                catch (JsonException e)
                {
                    return new TemplateError((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1,
                        "once rendered, the payload is not valid JSON: " + e.Message.Split(" Path:")[0]);
                }
            }
            return null;
        }
        catch (HandlebarsException e)
        {
            return Locate(template, e);
        }
    }

    /// <summary>Parser errors carry their position; for block errors the unbalanced tag is found here.</summary>
    private static TemplateError Locate(string template, HandlebarsException e)
    {
        var message = e.Message.Split("\n")[0].Trim();
        // An expression left open: point at its opening braces (the parser reports where it gave up).
        var opened = template.LastIndexOf("{{", StringComparison.Ordinal);
        if (opened >= 0 && template.IndexOf("}}", opened, StringComparison.Ordinal) < 0)
            return Position(template, opened, message);
        var at = OccurredAt().Match(e.Message);
        if (at.Success)
            return new TemplateError(int.Parse(at.Groups[1].Value), int.Parse(at.Groups[2].Value), message);
        var open = new Stack<(string Name, int Index)>();
        foreach (Match tag in BlockTag().Matches(template))
        {
            var name = tag.Groups[2].Value;
            if (tag.Groups[1].Value != "/")
                open.Push((name, tag.Index));
            else if (open.Count > 0 && open.Peek().Name == name)
                open.Pop();
            else
                return Position(template, tag.Index, message);
        }
        return open.Count > 0 ? Position(template, open.Peek().Index, message) : new TemplateError(1, 1, message);
    }

    private static TemplateError Position(string text, int index, string message)
    {
        var line = 1 + text.AsSpan(0, index).Count('\n');
        var column = index - (text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1) + 1;
        return new TemplateError(line, column, message);
    }

    private static IHandlebars Create(ITextEncoder encoder)
    {
        var handlebars = Handlebars.Create(new HandlebarsConfiguration { TextEncoder = encoder, ThrowOnUnresolvedBindingExpression = false });
        DatadogHelpers.Register(handlebars);
        return handlebars;
    }

    [GeneratedRegex(@"Occured at:\s*(\d+):(\d+)")]
    private static partial Regex OccurredAt();

    [GeneratedRegex(@"\{\{~?\s*([#^/])\s*([\w.-]+)")]
    private static partial Regex BlockTag();
}
