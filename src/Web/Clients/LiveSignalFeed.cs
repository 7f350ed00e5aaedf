using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.SignalR.Client;
using Vigil.Core.Contracts.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Clients;

/// <summary>
/// The Api's live signal hub, seen from one circuit: connects with the signed-in person's session token (the
/// Api puts the connection in that person's organization) and tells subscribers when a signal was opened or
/// raised. <see cref="IsConnected"/> false means the page must keep polling.
/// </summary>
public sealed partial class LiveSignalFeed(ApiBaseAddress api, AuthenticationStateProvider authentication, ILogger<LiveSignalFeed> logger)
    : IAsyncDisposable
{
    private HubConnection? _connection;

    /// <summary>Raised for each update the Api pushes (on a SignalR thread).</summary>
    public event Func<LiveSignalUpdate, Task>? Received;

    public bool IsConnected => _connection?.State == HubConnectionState.Connected;

    /// <summary>Connects (or reconnects after the automatic retries gave up); false when the hub cannot be reached now.</summary>
    public async Task<bool> StartAsync(CancellationToken ct)
    {
        if (_connection is { State: not HubConnectionState.Disconnected })
            return IsConnected;
        if (_connection is not null)
        {
            // Reconnecting gave up: start over.
            await _connection.DisposeAsync();
            _connection = null;
        }
        var token = (await authentication.GetAuthenticationStateAsync()).User.FindFirst(WebAuthentication.TokenClaim)?.Value;
        if (token is null)
            return false;
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(api.Get(), LiveSignalsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .WithAutomaticReconnect()
            .Build();
        _connection.On<LiveSignalUpdate>(LiveSignalsHub.SignalChangedMethod, update => Received?.Invoke(update) ?? Task.CompletedTask);
        try
        {
            await _connection.StartAsync(ct);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or TimeoutException)
        {
            LogUnreachable(logger, e.Message);
            await _connection.DisposeAsync();
            _connection = null;
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live signal hub unreachable, the page polls instead: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string reason);
}
