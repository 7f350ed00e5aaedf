using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Vigil.Api.Features.Notifications.Channels;
using Vigil.Api.Features.Notifications.Templates;

namespace Vigil.Api.Features.Notifications.Senders;

/// <summary>
/// Email through the channel's SMTP server with MailKit: an HTML part (the Markdown rendered, raw HTML
/// disabled) and a plain-text part. SMTP 5xx answers are permanent; 4xx and connection errors are retried.
/// </summary>
public sealed class EmailSender(NotificationTemplates templates, IOptions<NotificationOptions> options) : INotificationSender
{
    public string Type => ChannelTypes.Email;

    public async Task<SendResult> SendAsync(ChannelTarget channel, NotificationSubject subject, Guid deliveryId, CancellationToken ct)
    {
        var settings = channel.Settings;
        var message = Compose(settings, subject, templates.RenderMarkdown(channel.MessageTemplate, subject));
        using var smtp = new SmtpClient { Timeout = (int)options.Value.SendTimeout.TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(settings.EmailHost ?? "", settings.EmailPort, TlsOptions(settings.EmailTlsMode), ct);
            if (!string.IsNullOrEmpty(settings.EmailUsername))
                await smtp.AuthenticateAsync(settings.EmailUsername, channel.Secrets.Password ?? "", ct);
            var answer = await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(true, ct);
            return new SendResult(SendOutcome.Delivered, 250, answer.Length > 200 ? answer[..200] : answer);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            return new SendResult(code >= 500 ? SendOutcome.Permanent : SendOutcome.Retry, code, $"SMTP {code}: {e.Message}");
        }
        catch (AuthenticationException e)
        {
            return new SendResult(SendOutcome.Permanent, null, "SMTP authentication failed: " + e.Message);
        }
        catch (Exception e) when (e is SmtpProtocolException or ServiceNotConnectedException or IOException
            or System.Net.Sockets.SocketException or SslHandshakeException or TimeoutException)
        {
            return new SendResult(SendOutcome.Retry, null, $"SMTP connection failed: {e.Message}");
        }
    }

    public static MimeMessage Compose(ChannelSettings settings, NotificationSubject subject, string markdown)
    {
        var s = subject.Signal;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.EmailFrom ?? ""));
        foreach (var to in settings.EmailTo ?? [])
            message.To.Add(MailboxAddress.Parse(to));
        var prefix = subject.Kind == NotificationKinds.Test ? "[Test] " : "";
        message.Subject = $"{prefix}[{SeverityStyle.Label(subject.Severity)}] {s.Title} on {s.Hostname}";
        var html = MarkdownFormats.ToHtml(markdown);
        var link = System.Net.WebUtility.HtmlEncode(subject.Url);
        var title = System.Net.WebUtility.HtmlEncode(s.Title);
        var builder = new BodyBuilder
        {
            TextBody = $"{s.Title}\nSeverity: {subject.Severity} | Host: {s.Hostname} | Rule: {subject.RuleName}\n\n" +
                $"{MarkdownFormats.ToPlainText(markdown)}\n\nOpen the signal: {subject.Url}\n",
            HtmlBody = $"""
                <html><body style="font-family:sans-serif">
                <div style="border-left:6px solid {SeverityStyle.Color(subject.Severity)};padding-left:12px">
                <h2 style="margin:0">{title}</h2>
                <p><strong>Severity:</strong> {SeverityStyle.Label(subject.Severity)} · <strong>Host:</strong> {System.Net.WebUtility.HtmlEncode(s.Hostname)} · <strong>Rule:</strong> {System.Net.WebUtility.HtmlEncode(subject.RuleName)}</p>
                </div>
                {html}
                <p><a href="{link}">Open the signal in Vigil</a></p>
                </body></html>
                """,
        };
        message.Body = builder.ToMessageBody();
        return message;
    }

    private static SecureSocketOptions TlsOptions(string? mode) => mode switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "tls" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
