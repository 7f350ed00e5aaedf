using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Api.Auth;
using Vigil.Api.Features.Responses;
using Vigil.Core.Contracts.Api;

namespace Vigil.Api.Endpoints;

/// <summary>Responses from a signal: a responder asks the host's agent to kill one of the signal's processes.</summary>
public static class SignalResponseEndpoints
{
    public static IEndpointRouteBuilder MapSignalResponseEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v2/signals/{id:guid}/responses", ListAsync).WithTags("Signals").WithName("ListSignalResponses")
            .RequireAuthorization(ApiAuthentication.Policies.Read);
        app.MapPost("/api/v2/signals/{id:guid}/responses/kill", KillAsync).WithTags("Signals").WithName("KillSignalProcess")
            .RequireAuthorization(ApiAuthentication.Policies.Write);
        return app;
    }

    private static async Task<Results<Ok<List<ResponseActionDto>>, NotFound>> ListAsync(Guid id, ResponseActionService responses, CancellationToken ct) =>
        await responses.ListAsync(id, ct) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound();

    private static async Task<Results<Accepted<ResponseActionDto>, NotFound, ValidationProblem>> KillAsync(
        Guid id, KillProcessRequest request, ClaimsPrincipal caller, ResponseActionService responses, CancellationToken ct) =>
        await responses.RequestKillAsync(id, request, SignalTriageEndpoints.ActorOf(caller), ct) switch
        {
            ResponseActionService.Outcome.Accepted accepted => TypedResults.Accepted($"/api/v2/signals/{id}/responses", accepted.Action),
            ResponseActionService.Outcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The response was not requested."),
            _ => TypedResults.NotFound(),
        };
}
