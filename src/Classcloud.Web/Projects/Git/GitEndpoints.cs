using System.Security.Claims;
using Classcloud.Web.Courses;
using Microsoft.AspNetCore.Http.HttpResults;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects.Git;

/// <summary>The push webhook: its address and secret for the project's managers, and the anonymous receiver the Git host calls.</summary>
public static class GitEndpoints
{
    public static void MapGitHooks(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/projects").RequireAuthorization().WithTags("Projects");
        api.MapGet("/{id:long}/hook", async (long id, ClaimsPrincipal user, GitSources s, CancellationToken ct) =>
            Reply(await s.HookAsync(id, Caller.From(user), renew: false, ct)));
        // Renews the secret: the answer is the only place it is ever shown.
        api.MapPost("/{id:long}/hook", async (long id, ClaimsPrincipal user, GitSources s, CancellationToken ct) =>
            Reply(await s.HookAsync(id, Caller.From(user), renew: true, ct)));
        // Signed by the Git host, not signed in: the signature is checked before anything else is read.
        app.MapPost(GitSources.HookPath + "{projectId:long}", ReceiveAsync).AllowAnonymous().WithTags("Projects");
    }

    static async Task<Results<Accepted<HookReceipt>, Ok<HookReceipt>, ProblemHttpResult>> ReceiveAsync(long projectId, HttpRequest request, GitHooks hooks,
        CancellationToken ct)
    {
        var outcome = await hooks.ReceiveAsync(projectId, request, ct);
        return !outcome.Succeeded ? outcome.Problem!.ToResult()
            : outcome.Value!.Build is { } build ? TypedResults.Accepted($"/api/v1/projects/{projectId}/builds/{build.Id}/log", outcome.Value)
            : TypedResults.Ok(outcome.Value);
    }

    static Results<Ok<T>, ProblemHttpResult> Reply<T>(Hosting.Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
}
