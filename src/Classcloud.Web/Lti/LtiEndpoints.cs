using System.Security.Claims;
using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Classcloud.Web.Lti;

/// <summary>The administrators' registration API and the tool's public key set (issue 17's contract).</summary>
public static class LtiEndpoints
{
    public static void MapLtiApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api/v1/admin/lti/platforms").RequireAuthorization(Policies.Admin).WithTags("Admin");
        admin.MapGet("", async Task<Ok<IReadOnlyList<LtiPlatformDto>>> (LtiPlatforms platforms, CancellationToken ct) =>
            TypedResults.Ok(await platforms.ListAsync(ct)));
        admin.MapPost("", async Task<Results<Created<LtiPlatformDto>, ProblemHttpResult>> (LtiPlatformRequest request, LtiPlatforms platforms, CancellationToken ct) =>
        {
            var outcome = await platforms.AddAsync(request, ct);
            return outcome.Succeeded
                ? TypedResults.Created($"/api/v1/admin/lti/platforms/{outcome.Value!.Id}", outcome.Value)
                : outcome.Problem!.ToResult();
        });
        admin.MapDelete("/{id:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, LtiPlatforms platforms, CancellationToken ct) =>
            await platforms.RemoveAsync(id, ct) is { } problem ? problem.ToResult() : TypedResults.NoContent());

        // Names and Role Provisioning: the course's educators pull the roster of the LMS courses placed on it.
        app.MapPost("/api/v1/lti/courses/{id:long}/roster-sync", async Task<Results<Ok<LtiRosterDto>, ProblemHttpResult>> (
            long id, ClaimsPrincipal user, LtiRoster roster, CancellationToken ct) =>
        {
            var outcome = await roster.SyncAsync(Caller.From(user), id, ct);
            return outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
        }).RequireAuthorization().WithTags("LTI");

        // Assignment and Grade Services: the assignment's educators send its released scores to the LMS gradebook.
        app.MapPost("/api/v1/lti/assignments/{id:long}/scores", async Task<Results<Ok<LtiScoresDto>, ProblemHttpResult>> (
            long id, ClaimsPrincipal user, LtiGrades grades, CancellationToken ct) =>
        {
            var outcome = await grades.SendAsync(Caller.From(user), id, ct);
            return outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
        }).RequireAuthorization().WithTags("LTI");

        // Public by nature: platforms fetch it to check what the tool signs. A protocol address, not part of the
        // /api/v1 API, so it stays out of the OpenAPI document (as the LTI login and launch pages do).
        app.MapGet("/lti/jwks", async (LtiToolKeys keys, CancellationToken ct) => TypedResults.Json(await keys.KeySetAsync(ct)))
            .AllowAnonymous().ExcludeFromDescription();
    }
}
