using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Components.Authorization;
using Vigil.Core.Contracts.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Clients;

/// <summary>The Api seen from the Web: typed calls made with the signed-in person's session token.</summary>
public sealed class VigilApiClient(HttpClient http, AuthenticationStateProvider authentication)
{
    /// <summary>Logs in; null when the credentials are wrong. Throws <see cref="ApiUnavailableException"/>.</summary>
    public async Task<LoginResponse?> LoginAsync(string email, string password, CancellationToken ct = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "api/v2/auth/login")
        {
            Content = JsonContent.Create(new LoginRequest(email, password), options: ApiJson.Options),
        }, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
            return null;
        await EnsureSuccessAsync(response);
        return await response.Content.ReadFromJsonAsync<LoginResponse>(ApiJson.Options, ct);
    }

    public async Task LogoutAsync(string token, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/auth/logout");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var _ = await http.SendAsync(request, ct);
    }

    public async Task<SignalPage> ListSignalsAsync(int limit = 50, string? cursor = null, CancellationToken ct = default)
    {
        var url = $"api/v2/signals?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        return await GetAsync<SignalPage>(url, ct);
    }

    private async Task<T> GetAsync<T>(string url, CancellationToken ct)
    {
        var token = await TokenAsync();
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new SessionExpiredException();
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, ct))!;
    }

    private async Task<string> TokenAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.FindFirst(WebAuthentication.TokenClaim)?.Value ?? throw new SessionExpiredException();
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken ct)
    {
        using var request = build();
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnavailableException($"The Vigil API at {http.BaseAddress} cannot be reached.", e);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync();
        throw new ApiUnavailableException($"The Vigil API answered {(int)response.StatusCode}: {Truncate(body)}");
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>The Api could not be reached or failed; the page shows the message.</summary>
public sealed class ApiUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The Api no longer accepts the session token (expired or revoked): log in again.</summary>
public sealed class SessionExpiredException() : Exception("The session has expired; log in again.");
