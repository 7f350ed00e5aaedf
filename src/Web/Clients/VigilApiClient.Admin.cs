using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Clients;

/// <summary>Rules, suppressions and keys: what the Rules and Settings pages manage.</summary>
public sealed partial class VigilApiClient
{
    public Task<List<DetectionRuleDto>> ListRulesAsync(CancellationToken ct = default) => GetAsync<List<DetectionRuleDto>>("api/v2/detection-rules/", ct);

    /// <summary>Validates without saving; throws <see cref="ApiProblemException"/> with the errors when invalid.</summary>
    public Task ValidateRuleAsync(DetectionRuleRequest request, CancellationToken ct = default) =>
        SendAsync<bool>(HttpMethod.Post, "api/v2/detection-rules/validate", request, ct);

    public Task<DetectionRuleTestResult> TestRuleAsync(DetectionRuleTestRequest request, CancellationToken ct = default) =>
        SendAsync<DetectionRuleTestResult>(HttpMethod.Post, "api/v2/detection-rules/test", request, ct);

    public Task<DetectionRuleDto> CreateRuleAsync(DetectionRuleRequest request, CancellationToken ct = default) =>
        SendAsync<DetectionRuleDto>(HttpMethod.Post, "api/v2/detection-rules/", request, ct);

    public Task<DetectionRuleDto> ReplaceRuleAsync(Guid id, DetectionRuleRequest request, CancellationToken ct = default) =>
        SendAsync<DetectionRuleDto>(HttpMethod.Put, $"api/v2/detection-rules/{id}", request, ct);

    public Task<List<SuppressionDto>> ListSuppressionsAsync(CancellationToken ct = default) => GetAsync<List<SuppressionDto>>("api/v2/suppressions/", ct);

    public Task<List<KeyDto>> ListKeysAsync(KeyKind kind, CancellationToken ct = default) => GetAsync<List<KeyDto>>(KeyPath(kind), ct);

    public Task<CreatedKeyDto> CreateKeyAsync(KeyKind kind, CreateKeyRequest request, CancellationToken ct = default) =>
        SendAsync<CreatedKeyDto>(HttpMethod.Post, KeyPath(kind), request, ct);

    public Task RevokeKeyAsync(KeyKind kind, Guid id, CancellationToken ct = default) =>
        SendAsync<bool>(HttpMethod.Delete, $"{KeyPath(kind)}{id}", null, ct);

    private static string KeyPath(KeyKind kind) => kind == KeyKind.Agent ? "api/v2/api-keys/" : "api/v2/application-keys/";
}

public enum KeyKind { Agent, Application }
