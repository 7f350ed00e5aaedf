using Vigil.Core.Contracts.Api;

namespace Vigil.Web.Clients;

/// <summary>Suppression changes and their preview (the list is in the admin partial, shared with the Rules page).</summary>
public sealed partial class VigilApiClient
{
    private const string Suppressions = "api/v2/suppressions/";

    public Task<SuppressionDto> CreateSuppressionAsync(SuppressionRequest request, CancellationToken ct = default) =>
        SendAsync<SuppressionDto>(HttpMethod.Post, Suppressions, request, ct);

    public Task<SuppressionDto> ReplaceSuppressionAsync(Guid id, SuppressionRequest request, CancellationToken ct = default) =>
        SendAsync<SuppressionDto>(HttpMethod.Put, $"{Suppressions}{id}", request, ct);

    public Task DeleteSuppressionAsync(Guid id, CancellationToken ct = default) => SendAsync<bool>(HttpMethod.Delete, $"{Suppressions}{id}", null, ct);

    public Task<SuppressionPreviewDto> PreviewSuppressionAsync(SuppressionPreviewRequest request, CancellationToken ct = default) =>
        SendAsync<SuppressionPreviewDto>(HttpMethod.Post, $"{Suppressions}preview", request, ct);
}
