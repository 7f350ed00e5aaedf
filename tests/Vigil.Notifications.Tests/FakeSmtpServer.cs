using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Storage;
using Vigil.Testing;

namespace Vigil.Notifications.Tests;

public sealed record ReceivedMail(DateTimeOffset At, MimeMessage Message);

/// <summary>A real SMTP server in the test process (SmtpServer package) on 127.0.0.1 that keeps every message it gets.</summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private readonly Store _store = new();

    private FakeSmtpServer()
    {
        Port = LoopbackPort.Free();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public static FakeSmtpServer Start() => new();

    /// <summary>Messages received for the given recipient, with their arrival time.</summary>
    public IReadOnlyList<ReceivedMail> For(string recipient) =>
        _store.Messages.Where(m => m.Message.To.Mailboxes.Any(a => a.Address == recipient)).ToList();


    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        await _server.ShutdownTask;
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
        _stop.Dispose();
    }

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<ReceivedMail> Messages { get; } = new();

        public override async Task<SmtpServer.Protocol.SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream();
            foreach (var segment in buffer)
                stream.Write(segment.Span);
            stream.Position = 0;
            Messages.Enqueue(new ReceivedMail(DateTimeOffset.UtcNow, await MimeMessage.LoadAsync(stream, cancellationToken)));
            return SmtpServer.Protocol.SmtpResponse.Ok;
        }
    }
}
