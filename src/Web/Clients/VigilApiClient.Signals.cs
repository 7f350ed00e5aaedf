using System.Text.Json;
using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Clients;

/// <summary>Counts per facet (severity, status, agent_rule, rule, host, tactic) as the Api's facets endpoint returns them.</summary>
public sealed record SignalFacetsDto(IReadOnlyDictionary<string, Dictionary<string, int>> Facets, int Total, bool Truncated);

/// <summary>A search as the explorer sends it: query text and time range, each optional.</summary>
public sealed record SearchFilter(string? Query, string? From, string? To)
{
    public string QueryString()
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Query))
            parts.Add("query=" + Uri.EscapeDataString(Query));
        if (!string.IsNullOrWhiteSpace(From))
            parts.Add("from=" + Uri.EscapeDataString(From));
        if (!string.IsNullOrWhiteSpace(To))
            parts.Add("to=" + Uri.EscapeDataString(To));
        return string.Join('&', parts);
    }
}

public sealed partial class VigilApiClient
{
    public Task<SignalPage> ListSignalsAsync(int limit = 50, string? cursor = null, CancellationToken ct = default) =>
        SearchSignalsAsync(new SearchFilter(null, null, null), limit, cursor, ct);

    public Task<SignalPage> SearchSignalsAsync(SearchFilter filter, int limit = 50, string? cursor = null, CancellationToken ct = default) =>
        GetAsync<SignalPage>($"api/v2/signals?limit={limit}&{filter.QueryString()}"
            + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), ct);

    public Task<SignalFacetsDto> SignalFacetsAsync(SearchFilter filter, CancellationToken ct = default) =>
        GetAsync<SignalFacetsDto>($"api/v2/signals/facets?{filter.QueryString()}", ct);

    public Task<SignalDetailDto> GetSignalAsync(Guid id, CancellationToken ct = default) => GetAsync<SignalDetailDto>($"api/v2/signals/{id}", ct);

    public Task<List<JsonElement>> SignalEventsAsync(Guid id, CancellationToken ct = default) => GetAsync<List<JsonElement>>($"api/v2/signals/{id}/events", ct);

    public Task<List<SignalDto>> RelatedSignalsAsync(Guid id, CancellationToken ct = default) => GetAsync<List<SignalDto>>($"api/v2/signals/{id}/related", ct);

    public Task<SignalTriageDto> SignalTriageAsync(Guid id, CancellationToken ct = default) => GetAsync<SignalTriageDto>($"api/v2/signals/{id}/triage", ct);

    public Task<List<SignalCommentDto>> SignalCommentsAsync(Guid id, CancellationToken ct = default) => GetAsync<List<SignalCommentDto>>($"api/v2/signals/{id}/comments", ct);

    public Task<List<SignalChangeDto>> SignalHistoryAsync(Guid id, CancellationToken ct = default) => GetAsync<List<SignalChangeDto>>($"api/v2/signals/{id}/history", ct);

    public Task<SignalTriageDto> UpdateSignalStateAsync(Guid id, UpdateSignalStateRequest request, CancellationToken ct = default) =>
        SendAsync<SignalTriageDto>(HttpMethod.Patch, $"api/v2/signals/{id}/state", request, ct);

    public Task<SignalTriageDto> UpdateSignalAssigneeAsync(Guid id, UpdateSignalAssigneeRequest request, CancellationToken ct = default) =>
        SendAsync<SignalTriageDto>(HttpMethod.Patch, $"api/v2/signals/{id}/assignee", request, ct);

    public Task<SignalCommentDto> AddSignalCommentAsync(Guid id, string text, CancellationToken ct = default) =>
        SendAsync<SignalCommentDto>(HttpMethod.Post, $"api/v2/signals/{id}/comments", new AddSignalCommentRequest(text), ct);

    public Task<List<ResponseActionDto>> SignalResponsesAsync(Guid id, CancellationToken ct = default) =>
        GetAsync<List<ResponseActionDto>>($"api/v2/signals/{id}/responses", ct);

    public Task<ResponseActionDto> KillSignalProcessAsync(Guid id, KillProcessRequest request, CancellationToken ct = default) =>
        SendAsync<ResponseActionDto>(HttpMethod.Post, $"api/v2/signals/{id}/responses/kill", request, ct);

    public Task<AgentEventPage> SearchEventsAsync(SearchFilter filter, int limit = 50, string? cursor = null, CancellationToken ct = default) =>
        GetAsync<AgentEventPage>($"api/v2/events?limit={limit}&{filter.QueryString()}"
            + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), ct);

    public Task<List<AgentHostDto>> ListAgentsAsync(CancellationToken ct = default) => GetAsync<List<AgentHostDto>>("api/v2/agents", ct);
}
