using System.Net;
using System.Text.Json;

namespace Vigil.Api.Tests;

/// <summary>
/// The OpenAPI document is complete enough to generate a client: every operation has a unique id, a success
/// response whose content has a schema, and every schema reference resolves; the API key scheme is declared.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(ApiFixture api)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    [Fact]
    public async Task EveryOperation_HasAUniqueIdAndATypedSuccessResponse_AndEveryReferenceResolves()
    {
        using var http = api.Client();
        using var response = await http.GetAsync("openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;

        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var operations = 0;
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                operations++;
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!operation.Value.TryGetProperty("operationId", out var id) || !ids.Add(id.GetString()!))
                    problems.Add($"{where}: missing or duplicate operationId");
                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToList();
                var success = responses.FirstOrDefault(r => r.Name.StartsWith('2'));
                if (success.Value.ValueKind == JsonValueKind.Undefined)
                    problems.Add($"{where}: no 2xx response");
                else if (success.Value.TryGetProperty("content", out _) && !HasSchema(success.Value))
                    problems.Add($"{where}: {success.Name} response with content but no schema");
            }
        }

        var schemas = root.GetProperty("components").GetProperty("schemas");
        foreach (var reference in References(root))
        {
            const string prefix = "#/components/schemas/";
            if (!reference.StartsWith(prefix, StringComparison.Ordinal) || !schemas.TryGetProperty(reference[prefix.Length..], out _))
                problems.Add($"unresolved reference {reference}");
        }
        var schemes = root.GetProperty("components").TryGetProperty("securitySchemes", out var s) ? s : default;
        if (schemes.ValueKind != JsonValueKind.Object || !schemes.TryGetProperty("Bearer", out _))
            problems.Add("no Bearer security scheme");

        Assert.True(operations >= 30, $"only {operations} operations described");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static bool HasSchema(JsonElement response) =>
        response.TryGetProperty("content", out var content)
        && content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _));

    private static IEnumerable<string> References(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.ValueKind == JsonValueKind.String)
                        yield return property.Value.GetString()!;
                    else
                        foreach (var nested in References(property.Value)) yield return nested;
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    foreach (var nested in References(item)) yield return nested;
                break;
        }
    }
}
