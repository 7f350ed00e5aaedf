using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Clients;

/// <summary>Agent rules and out-of-the-box detection rules: what the Rules page's editor, enable, clone, delete and protection controls call.</summary>
public sealed partial class VigilApiClient
{
    public Task<List<AgentRuleDto>> ListAgentRulesAsync(CancellationToken ct = default) => GetAsync<List<AgentRuleDto>>("api/v2/agent-rules/", ct);

    public Task<AgentRuleChangeDto> SetAgentRuleEnabledAsync(string ruleId, bool enabled, CancellationToken ct = default) =>
        SendAsync<AgentRuleChangeDto>(HttpMethod.Post, $"api/v2/agent-rules/{Uri.EscapeDataString(ruleId)}/{(enabled ? "enable" : "disable")}", null, ct);

    public Task<AgentRuleChangeDto> CloneAgentRuleAsync(string ruleId, string newId, CancellationToken ct = default) =>
        SendAsync<AgentRuleChangeDto>(HttpMethod.Post, $"api/v2/agent-rules/{Uri.EscapeDataString(ruleId)}/clone", new CloneRuleRequest(newId), ct);

    public Task<AgentRuleChangeDto> SetAgentRuleProtectionAsync(string ruleId, string mode, CancellationToken ct = default) =>
        SendAsync<AgentRuleChangeDto>(HttpMethod.Put, $"api/v2/agent-rules/{Uri.EscapeDataString(ruleId)}/protection", new ProtectionModeRequest(mode), ct);

    /// <summary>Compiles an expression as saving would; the errors carry their position. Nothing is stored.</summary>
    public Task<AgentRuleValidationDto> ValidateAgentRuleExpressionAsync(string expression, CancellationToken ct = default) =>
        SendAsync<AgentRuleValidationDto>(HttpMethod.Post, "api/v2/agent-rules/validate", new AgentRuleValidationRequest(expression), ct);

    public Task<AgentRuleChangeDto> CreateAgentRuleAsync(AgentRuleRequest request, CancellationToken ct = default) =>
        SendAsync<AgentRuleChangeDto>(HttpMethod.Post, "api/v2/agent-rules/", request, ct);

    public Task<AgentRuleChangeDto> UpdateAgentRuleAsync(string ruleId, AgentRuleUpdateRequest request, CancellationToken ct = default) =>
        SendAsync<AgentRuleChangeDto>(HttpMethod.Put, $"api/v2/agent-rules/{Uri.EscapeDataString(ruleId)}", request, ct);

    public Task<PolicyRevisionDto> DeleteAgentRuleAsync(string ruleId, CancellationToken ct = default) =>
        SendAsync<PolicyRevisionDto>(HttpMethod.Delete, $"api/v2/agent-rules/{Uri.EscapeDataString(ruleId)}", null, ct);

    public Task<PolicyRevisionDto> CurrentPolicyAsync(CancellationToken ct = default) => GetAsync<PolicyRevisionDto>("api/v2/remote-config/policy", ct);

    public Task<DetectionRuleDto> SetRuleEnabledAsync(Guid id, bool enabled, CancellationToken ct = default) =>
        SendAsync<DetectionRuleDto>(HttpMethod.Post, $"api/v2/detection-rules/{id}/{(enabled ? "enable" : "disable")}", null, ct);

    public Task<DetectionRuleDto> CloneRuleAsync(Guid id, CancellationToken ct = default) =>
        SendAsync<DetectionRuleDto>(HttpMethod.Post, $"api/v2/detection-rules/{id}/clone", null, ct);
}
