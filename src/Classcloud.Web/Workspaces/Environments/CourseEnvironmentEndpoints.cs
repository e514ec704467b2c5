using System.Security.Claims;
using Classcloud.Web.Courses;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>/api/v1/courses/{courseId}/environments: members read and use them, the course's educators publish and remove.</summary>
public static class CourseEnvironmentEndpoints
{
    public static void MapCourseEnvironmentApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/courses/{courseId:long}/environments").RequireAuthorization().WithTags("Workspaces");
        api.MapGet("/", ListAsync);
        api.MapPost("/", PublishAsync);
        api.MapPut("/{id:long}", UpdateAsync);
        api.MapDelete("/{id:long}", RemoveAsync);
        api.MapPost("/{id:long}/workspaces", CreateWorkspaceAsync);
        api.MapGet("/{id:long}/provisions", ProvisionsAsync);
    }

    static async Task<Results<Ok<IReadOnlyList<EnvironmentDto>>, ProblemHttpResult>> ListAsync(long courseId, ClaimsPrincipal user, CourseEnvironments environments, CancellationToken ct) =>
        Reply(await environments.ListAsync(courseId, Caller.From(user), ct));

    static async Task<Results<Created<EnvironmentDto>, ProblemHttpResult>> PublishAsync(long courseId, EnvironmentRequest request, ClaimsPrincipal user, CourseEnvironments environments, CancellationToken ct)
    {
        var outcome = await environments.PublishAsync(courseId, Caller.From(user), request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/courses/{courseId}/environments/{outcome.Value!.Id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Results<Ok<EnvironmentDto>, ProblemHttpResult>> UpdateAsync(long courseId, long id, EnvironmentRequest request, ClaimsPrincipal user, CourseEnvironments environments, CancellationToken ct) =>
        Reply(await environments.UpdateAsync(courseId, id, Caller.From(user), request, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(long courseId, long id, ClaimsPrincipal user, CourseEnvironments environments, CancellationToken ct)
    {
        var problem = await environments.RemoveAsync(courseId, id, Caller.From(user), ct);
        return problem is null ? TypedResults.NoContent() : problem.ToResult();
    }

    static async Task<Results<Created<CreatedWorkspaceDto>, ProblemHttpResult>> CreateWorkspaceAsync(long courseId, long id, ClaimsPrincipal user, CourseEnvironments environments, CancellationToken ct)
    {
        var outcome = await environments.CreateWorkspaceAsync(courseId, id, Caller.From(user), start: false, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/workspaces/{outcome.Value!.Id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Results<Ok<IReadOnlyList<ProvisionDto>>, ProblemHttpResult>> ProvisionsAsync(long courseId, long id, ClaimsPrincipal user, CourseEnvironments environments, CancellationToken ct) =>
        Reply(await environments.ProvisionsAsync(courseId, id, Caller.From(user), ct));

    static Results<Ok<T>, ProblemHttpResult> Reply<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
}
