using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workloads;

/// <summary>
/// The container console's API (administrators only). Changes answer 202 Accepted with the workload as
/// it is right after the request (desired state saved, the reconciler woken; observed state follows),
/// DELETE answers 204. Without the platform or the engine every change answers 503.
/// </summary>
public static class WorkloadEndpoints
{
    public static void MapWorkloadApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/admin/workloads").RequireAuthorization(Policies.Admin).WithTags("Workloads");
        api.MapGet("/", SearchAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/{id}/start", (string id, WorkloadConsoleService s, CancellationToken ct) => Accepted(id, s.StartAsync(id, ct)));
        api.MapPost("/{id}/stop", (string id, WorkloadConsoleService s, CancellationToken ct) => Accepted(id, s.StopAsync(id, ct)));
        api.MapPost("/{id}/restart", (string id, WorkloadConsoleService s, CancellationToken ct) => Accepted(id, s.RestartAsync(id, ct)));
        api.MapPut("/{id}/replicas", (string id, ReplicasRequest request, WorkloadConsoleService s, CancellationToken ct) =>
            Accepted(id, s.ScaleAsync(id, request.Replicas, ct)));
        api.MapDelete("/{id}", DeleteAsync);
        api.MapGet("/{id}/logs", LogsAsync);
        api.MapGet("/{id}/stats", StatsAsync);
    }

    static async Task<Ok<Paged<WorkloadRowDto>>> SearchAsync(
        [AsParameters] WorkloadQuery query, WorkloadConsoleService console, IOptions<LimitsOptions> limits, CancellationToken ct) =>
        TypedResults.Ok(await console.SearchAsync(query, limits.Value.MaxPageSize, ct));

    static async Task<Results<Ok<WorkloadDetailDto>, ProblemHttpResult>> GetAsync(string id, WorkloadConsoleService console, CancellationToken ct)
    {
        var outcome = await console.GetAsync(id, ct);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Results<Accepted<WorkloadDetailDto>, ProblemHttpResult>> Accepted(string id, Task<Outcome<WorkloadDetailDto>> change)
    {
        var outcome = await change;
        return outcome.Succeeded
            ? TypedResults.Accepted($"/api/v1/admin/workloads/{Uri.EscapeDataString(id)}", outcome.Value)
            : outcome.Problem!.ToResult();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, WorkloadConsoleService console, CancellationToken ct) =>
        await console.DeleteAsync(id, ct) is { } problem ? problem.ToResult() : TypedResults.NoContent();

    /// <summary>Server-Sent Events: the last <c>tail</c> lines (at most 1000), then new ones while <c>follow</c>.</summary>
    static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> LogsAsync(
        string id, int? replica, int? tail, bool? follow, WorkloadStreams streams, CancellationToken ct)
    {
        var opened = await streams.OpenAsync(id, replica ?? 0, ct);
        return opened.Succeeded
            ? TypedResults.ServerSentEvents(streams.LogsAsync(opened.Value!, Math.Clamp(tail ?? 200, 0, WorkloadStreams.MaxTail), follow ?? true, ct))
            : opened.Problem!.ToResult();
    }

    /// <summary>Server-Sent Events: a resource sample about once a second while the replica runs.</summary>
    static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StatsAsync(
        string id, int? replica, WorkloadStreams streams, CancellationToken ct)
    {
        var opened = await streams.OpenAsync(id, replica ?? 0, ct);
        return opened.Succeeded
            ? TypedResults.ServerSentEvents(streams.StatsAsync(opened.Value!, ct))
            : opened.Problem!.ToResult();
    }
}
