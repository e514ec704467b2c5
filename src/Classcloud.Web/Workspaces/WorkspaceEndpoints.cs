using System.Security.Claims;
using Classcloud.Web.Courses;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>The workspace API (issue 5 contract). Every route needs a signed-in user; finer rules live in <see cref="WorkspaceAccess"/>.</summary>
public static class WorkspaceEndpoints
{
    public static void MapWorkspaceApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/workspaces").RequireAuthorization().WithTags("Workspaces");
        api.MapPost("/", CreateAsync);
        api.MapGet("/", ListAsync);
        api.MapGet("/public", PublicAsync);
        api.MapPost("/load", LoadAsync);
        api.MapGet("/{id:long}", GetAsync);
        api.MapPut("/{id:long}", UpdateAsync);
        api.MapDelete("/{id:long}", (long id, ClaimsPrincipal user, WorkspaceActions s, CancellationToken ct) => ActAsync(id, WorkspaceJobKind.Delete, null, user, s, ct));
        api.MapPost("/{id:long}/start", (long id, StartRequest? request, ClaimsPrincipal user, WorkspaceActions s, CancellationToken ct) =>
            ActAsync(id, WorkspaceJobKind.Start, request?.SnapshotId, user, s, ct));
        api.MapPost("/{id:long}/stop", (long id, ClaimsPrincipal user, WorkspaceActions s, CancellationToken ct) => ActAsync(id, WorkspaceJobKind.Stop, null, user, s, ct));
        api.MapPost("/{id:long}/save", (long id, ClaimsPrincipal user, WorkspaceActions s, CancellationToken ct) => ActAsync(id, WorkspaceJobKind.Save, null, user, s, ct));
        api.MapGet("/{id:long}/snapshots", SnapshotsAsync);
        api.MapPost("/{id:long}/export", ExportAsync);
        api.MapGet("/{id:long}/keys", KeysAsync);
        app.MapDelete("/api/v1/workspace-keys/{keyId:long}", RevokeAsync).RequireAuthorization().WithTags("Workspaces");
    }

    static async Task<Results<Created<CreatedWorkspaceDto>, ProblemHttpResult>> CreateAsync(WorkspaceRequest request, ClaimsPrincipal user, WorkspaceCreation workspaces, CancellationToken ct)
    {
        var outcome = await workspaces.CreateAsync(Caller.From(user), request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/workspaces/{outcome.Value!.Id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Results<Ok<IReadOnlyList<WorkspaceDto>>, ProblemHttpResult>> ListAsync(string? scope, ClaimsPrincipal user, WorkspaceReader workspaces, CancellationToken ct) =>
        Reply(await workspaces.ListAsync(scope, Caller.From(user), ct));

    static async Task<Ok<IReadOnlyList<PublicWorkspaceDto>>> PublicAsync(string? q, WorkspaceReader workspaces, CancellationToken ct) =>
        TypedResults.Ok(await workspaces.PublicAsync(q, ct));

    static async Task<Results<Ok<WorkspaceDto>, ProblemHttpResult>> GetAsync(long id, ClaimsPrincipal user, WorkspaceReader workspaces, CancellationToken ct) =>
        Reply(await workspaces.GetAsync(id, Caller.From(user), ct));

    static async Task<Results<Ok<WorkspaceDto>, ProblemHttpResult>> UpdateAsync(long id, WorkspaceRequest request, ClaimsPrincipal user, WorkspaceEditing workspaces, CancellationToken ct) =>
        Reply(await workspaces.UpdateAsync(id, Caller.From(user), request, ct));

    static async Task<Results<Accepted, ProblemHttpResult>> ActAsync(long id, WorkspaceJobKind action, long? snapshotId, ClaimsPrincipal user, WorkspaceActions workspaces, CancellationToken ct)
    {
        var problem = await workspaces.ActAsync(id, Caller.From(user), action, snapshotId, ct);
        return problem is null ? TypedResults.Accepted($"/api/v1/workspaces/{id}") : problem.ToResult();
    }

    static async Task<Results<Ok<IReadOnlyList<SnapshotDto>>, ProblemHttpResult>> SnapshotsAsync(long id, ClaimsPrincipal user, WorkspaceReader workspaces, CancellationToken ct) =>
        Reply(await workspaces.SnapshotsAsync(id, Caller.From(user), ct));

    static async Task<Results<Ok<ExportedKeyDto>, ProblemHttpResult>> ExportAsync(long id, ExportRequest? request, ClaimsPrincipal user, WorkspaceKeys keys, CancellationToken ct) =>
        Reply(await keys.ExportAsync(id, Caller.From(user), request ?? new ExportRequest(null, null), ct));

    static async Task<Results<Ok<IReadOnlyList<KeyDto>>, ProblemHttpResult>> KeysAsync(long id, ClaimsPrincipal user, WorkspaceKeys keys, CancellationToken ct) =>
        Reply(await keys.ListAsync(id, Caller.From(user), ct));

    static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(long keyId, ClaimsPrincipal user, WorkspaceKeys keys, CancellationToken ct)
    {
        var problem = await keys.RevokeAsync(keyId, Caller.From(user), ct);
        return problem is null ? TypedResults.NoContent() : problem.ToResult();
    }

    static async Task<Results<Created<CreatedWorkspaceDto>, ProblemHttpResult>> LoadAsync(LoadRequest request, ClaimsPrincipal user, WorkspaceLoading keys, CancellationToken ct)
    {
        var outcome = await keys.LoadAsync(Caller.From(user), request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/workspaces/{outcome.Value!.Id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static Results<Ok<T>, ProblemHttpResult> Reply<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();
}
