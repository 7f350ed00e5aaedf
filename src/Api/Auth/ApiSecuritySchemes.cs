using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Vigil.Api.Auth;

/// <summary>Declares in the OpenAPI document how callers authenticate, so generated clients send the keys.</summary>
internal sealed class ApiSecuritySchemes : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A session token from POST /api/v2/auth/login, or an application key (vgk_…).",
        };
        document.Components.SecuritySchemes["ApplicationKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiAuthentication.ApplicationKeyHeader,
            Description = "An application key (vgk_…) in the Datadog-style header instead of Authorization.",
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApplicationKey", document)] = [] },
        ];
        return Task.CompletedTask;
    }
}
