using System.Net.Http.Headers;
using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.EndToEnd.Tests;

/// <summary>Reads signals through the REST API as an application key of the organization would.</summary>
internal static class ApiPolling
{
    /// <summary>Waits for the signal raised for an agent rule (by the built-in "agent rule matched" rule).</summary>
    public static async Task<SignalDto> WaitForSignalAsync(Uri api, string applicationKey, string agentRuleId)
    {
        using var http = new HttpClient { BaseAddress = api };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", applicationKey);
        return await Eventually.ReturnsAsync(async () =>
        {
            var page = await http.GetFromJsonAsync<SignalPage>("api/v2/signals?limit=100", ApiJson.Options);
            return page!.Data.FirstOrDefault(s => s.AgentRuleId == agentRuleId);
        }, $"a signal of agent rule {agentRuleId} in the API");
    }
}
