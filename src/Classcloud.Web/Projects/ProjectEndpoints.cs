using System.Security.Claims;
using Classcloud.Platform;
using Classcloud.Web.Courses;
using Classcloud.Web.Hosting;
using Classcloud.Web.Projects.Git;
using Classcloud.Web.Projects.Serve;
using Microsoft.AspNetCore.Http.HttpResults;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects;

/// <summary>The project API (issue 14 contract). Every route needs a signed-in user who may manage the project (else 404).</summary>
public static class ProjectEndpoints
{
    public static void MapProjectApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/projects").RequireAuthorization().WithTags("Projects");
        api.MapPost("/", CreateAsync);
        api.MapGet("/", async (ClaimsPrincipal user, ProjectService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(Caller.From(user), ct)));
        api.MapGet("/{id:long}", async (long id, ClaimsPrincipal user, ProjectService s, CancellationToken ct) => Reply(await s.GetAsync(id, Caller.From(user), ct)));
        api.MapPut("/{id:long}", async (long id, ProjectRequest request, ClaimsPrincipal user, ProjectService s, CancellationToken ct) =>
            Reply(await s.UpdateAsync(id, Caller.From(user), request, ct)));
        api.MapDelete("/{id:long}", DeleteAsync);
        // A ZIP as multipart form, or JSON naming a Git repository (the contract: one route, two bodies).
        api.MapPost("/{id:long}/source", async (long id, HttpRequest request, ClaimsPrincipal user, ProjectOperations s, GitSources git, CancellationToken ct) =>
            Reply(request.HasJsonContentType() ? await git.SetAsync(id, Caller.From(user), request, ct) : await s.UploadAsync(id, Caller.From(user), request, ct)));
        api.MapPost("/{id:long}/deploy", DeployAsync);
        api.MapGet("/{id:long}/builds/{buildId:long}/log", BuildLogAsync);
        api.MapGet("/{id:long}/revisions", async (long id, ClaimsPrincipal user, ProjectOperations s, CancellationToken ct) =>
            Reply(await s.RevisionsAsync(id, Caller.From(user), ct)));
        api.MapPost("/{id:long}/revisions/{rev:int}/rollback", async (long id, int rev, ClaimsPrincipal user, ProjectOperations s, CancellationToken ct) =>
            Reply(await s.RollbackAsync(id, rev, Caller.From(user), ct)));
        api.MapPut("/{id:long}/env", async (long id, EnvironmentRequest request, ClaimsPrincipal user, ProjectOperations s, CancellationToken ct) =>
            Reply(await s.EnvironmentAsync(id, Caller.From(user), request, ct)));
        api.MapPut("/{id:long}/scaling", async (long id, ScalingRequest request, ClaimsPrincipal user, ProjectOperations s, CancellationToken ct) =>
            Reply(await s.ScalingAsync(id, Caller.From(user), request, ct)));
        api.MapGet("/{id:long}/logs", AppLogsAsync);
    }

    static async Task<Results<Created<ProjectDto>, ProblemHttpResult>> CreateAsync(ProjectRequest request, ClaimsPrincipal user, ProjectService s, CancellationToken ct)
    {
        var outcome = await s.CreateAsync(Caller.From(user), request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/projects/{outcome.Value!.Id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, ClaimsPrincipal user, ProjectService s, CancellationToken ct) =>
        await s.DeleteAsync(id, Caller.From(user), ct) is { } problem ? problem.ToResult() : TypedResults.NoContent();

    static async Task<Results<Accepted<BuildDto>, ProblemHttpResult>> DeployAsync(long id, ClaimsPrincipal user, ProjectOperations s, CancellationToken ct)
    {
        var outcome = await s.DeployAsync(id, Caller.From(user), ct);
        return outcome.Succeeded ? TypedResults.Accepted($"/api/v1/projects/{id}/builds/{outcome.Value!.Id}/log", outcome.Value) : outcome.Problem!.ToResult();
    }

    /// <summary>Plain text; with follow=true the response stays open and grows until the build ends.</summary>
    static async Task<IResult> BuildLogAsync(long id, long buildId, bool? follow, ClaimsPrincipal user, ProjectOperations s, HttpResponse response, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var outcome = await s.BuildAsync(id, buildId, caller, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Problem!.ToResult();
        }
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.Append("X-Build-Status", outcome.Value.Build.Status);
        var sent = 0;
        while (true)
        {
            var (build, live) = outcome.Value;
            var finished = build.Status is BuildStates.Succeeded or BuildStates.Failed;
            var text = live ?? build.Log;
            if (text.Length > sent)
            {
                await response.WriteAsync(text[sent..], ct);
                await response.Body.FlushAsync(ct);
                sent = text.Length;
            }
            if (finished || follow != true)
            {
                return Results.Empty;
            }
            await Task.Delay(300, ct);
            outcome = await s.BuildAsync(id, buildId, caller, ct);
            if (!outcome.Succeeded)
            {
                return Results.Empty;
            }
        }
    }

    /// <summary>The running app's output (stdout and stderr), plain text; follow=true keeps streaming.</summary>
    static async Task<IResult> AppLogsAsync(long id, bool? follow, int? tail, ClaimsPrincipal user, ProjectOperations s, ProjectRuntime runtime,
        HttpResponse response, CancellationToken ct)
    {
        var outcome = await s.LogsAsync(id, Caller.From(user), ct);
        if (!outcome.Succeeded)
        {
            return outcome.Problem!.ToResult();
        }
        try
        {
            await using var lines = runtime.LogsAsync(id, new LogOptions(follow == true, Math.Clamp(tail ?? 200, 0, 5000)), ct).GetAsyncEnumerator(ct);
            var first = await lines.MoveNextAsync();
            response.ContentType = "text/plain; charset=utf-8";
            await response.Body.FlushAsync(ct);
            for (var more = first; more; more = await lines.MoveNextAsync())
            {
                await response.WriteAsync(lines.Current.Text + "\n", ct);
                await response.Body.FlushAsync(ct);
            }
        }
        catch (PlatformNotFoundException)
        {
            return TypedResults.Problem("The project has not been deployed yet.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        catch (PlatformUnavailableException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unavailable");
        }
        return Results.Empty;
    }

    static Results<Ok<T>, ProblemHttpResult> Reply<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
}
