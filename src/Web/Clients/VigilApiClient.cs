using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Vigil.Core.Contracts.Api;
using Vigil.Web.Auth;

namespace Vigil.Web.Clients;

/// <summary>
/// The Api seen from the Web: typed calls made with the signed-in person's session token. Resource calls
/// live in the partial files next to this one; this file holds login and the HTTP plumbing.
/// </summary>
public sealed partial class VigilApiClient(HttpClient http, AuthenticationStateProvider authentication)
{
    /// <summary>Logs in; null when the credentials are wrong. Throws <see cref="ApiUnavailableException"/>.</summary>
    public async Task<LoginResponse?> LoginAsync(string email, string password, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(() => new HttpRequestMessage(HttpMethod.Post, "api/v2/auth/login")
        {
            Content = JsonContent.Create(new LoginRequest(email, password), options: ApiJson.Options),
        }, ct);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
            return null;
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<LoginResponse>(ApiJson.Options, ct);
    }

    public async Task LogoutAsync(string token, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/auth/logout");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var _ = await http.SendAsync(request, ct);
    }

    private Task<T> GetAsync<T>(string url, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, url, null, ct);

    /// <summary>Sends with the session token; a JSON body when given; the answer read as T (default for 204).</summary>
    private async Task<T> SendAsync<T>(HttpMethod method, string url, object? body, CancellationToken ct)
    {
        var token = await TokenAsync();
        using var response = await SendRawAsync(() =>
        {
            var request = new HttpRequestMessage(method, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
                request.Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options);
            return request;
        }, ct);
        await EnsureSuccessAsync(response, ct);
        if (response.StatusCode == HttpStatusCode.NoContent || typeof(T) == typeof(bool))
            return default!;
        return (await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, ct))!;
    }

    private async Task<string> TokenAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.FindFirst(WebAuthentication.TokenClaim)?.Value ?? throw new SessionExpiredException();
    }

    private async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> build, CancellationToken ct)
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
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ApiUnavailableException("The Vigil API did not answer in time.", e);
        }
    }

    /// <summary>Turns the Api's failures into exceptions the pages show as readable messages.</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(ct);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                throw new SessionExpiredException();
            case HttpStatusCode.Forbidden:
                throw new ApiProblemException(403, "Your role does not allow this.", new Dictionary<string, string[]>());
            case HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity:
                throw ApiProblemException.From((int)response.StatusCode, body);
            default:
                throw new ApiUnavailableException($"The Vigil API answered {(int)response.StatusCode}: {Truncate(body)}");
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>The Api could not be reached or failed; the page shows the message.</summary>
public sealed class ApiUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The Api no longer accepts the session token (expired or revoked): log in again.</summary>
public sealed class SessionExpiredException() : Exception("The session has expired; log in again.");

/// <summary>
/// An expected refusal (400 ProblemDetails with <c>errors</c> per field, 404, 409): the message and the
/// field errors are meant for people, shown next to what they typed.
/// </summary>
public sealed class ApiProblemException(int status, string message, IReadOnlyDictionary<string, string[]> errors) : Exception(message)
{
    public int Status { get; } = status;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>Every field error as "field: message" lines, or the title/detail when there are none.</summary>
    public IReadOnlyList<string> Lines => Errors.Count == 0
        ? [Message]
        : Errors.SelectMany(e => e.Value.Select(m => e.Key.Length == 0 ? m : $"{e.Key}: {m}")).ToList();

    public static ApiProblemException From(int status, string body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var message = status switch { 404 => "Not found (it may have been deleted).", 409 => "Someone else changed it first; reload and try again.", _ => "The request was refused." };
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
                message = detail.GetString()!;
            else if (root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String)
                message = title.GetString()!;
            if (root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Object)
                foreach (var field in list.EnumerateObject())
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? field.Value.EnumerateArray().Select(e => e.ToString()).ToArray()
                        : [field.Value.ToString()];
        }
        catch (JsonException)
        {
            // Not ProblemDetails: the generic message stands.
        }
        return new ApiProblemException(status, message, errors);
    }
}
