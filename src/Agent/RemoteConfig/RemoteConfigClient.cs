using System.Net;
using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Core.RemoteConfig;

namespace Vigil.Agent.RemoteConfig;

/// <summary>What one policy request got: a new policy, "not modified", or a failure to retry later.</summary>
public sealed record PolicyFetch(SignedPolicyDto? Policy, string? ETag, bool NotModified, string? Error);

/// <summary>
/// The agent's side of <c>/api/v2/agent/policy</c>: conditional long-poll requests (If-None-Match + <c>?wait=</c>),
/// the public key for enrolment, and status reports. Sends the API key like the intake client; never logs it.
/// </summary>
public sealed class RemoteConfigClient(HttpClient http, AgentSettings settings)
{
    public const string PolicyPath = "api/v2/agent/policy";
    public const long MaxResponseBytes = PolicyBundle.MaxPayloadBytes * 2L;

    public async Task<PolicyFetch> FetchAsync(string? etag, int waitSeconds, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, $"{PolicyPath}?wait={waitSeconds}");
        if (etag is not null)
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var answeredEtag = response.Headers.ETag?.ToString();
            if (response.StatusCode == HttpStatusCode.NotModified)
                return new PolicyFetch(null, answeredEtag ?? etag, true, null);
            if (!response.IsSuccessStatusCode)
                return new PolicyFetch(null, etag, false, $"HTTP {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength is > MaxResponseBytes)
                return new PolicyFetch(null, etag, false, "the policy response is too large");
            var policy = await response.Content.ReadFromJsonAsync<SignedPolicyDto>(ApiJson.Options, ct);
            return new PolicyFetch(policy, answeredEtag, false, policy is null ? "empty response" : null);
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return new PolicyFetch(null, etag, false, e.Message);
        }
    }

    public async Task<PolicyPublicKeyDto?> GetPublicKeyAsync(CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, $"{PolicyPath}/public-key");
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"the server answered HTTP {(int)response.StatusCode} to the public-key request", null, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<PolicyPublicKeyDto>(ApiJson.Options, ct);
    }

    /// <summary>False when the report did not get through (it is sent again after the next policy check).</summary>
    public async Task<bool> ReportAsync(PolicyStatusReport report, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, $"{PolicyPath}/status");
        request.Content = JsonContent.Create(report, options: ApiJson.Options);
        try
        {
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(settings.IngestUrl, path));
        request.Headers.Add("DD-API-KEY", settings.ApiKey);
        return request;
    }
}
