using Classcloud.Platform;
using Classcloud.Web.Admin;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workloads;

public static class WorkloadAuditActions
{
    public const string Start = "workload.start";
    public const string Stop = "workload.stop";
    public const string Restart = "workload.restart";
    public const string Scale = "workload.scale";
    public const string Delete = "workload.delete";
}

/// <summary>
/// The administrator's container console (issue 3, seed 004 REQ-001/002/004). Every action is a request on the
/// Workloads row — desired state, replicas, a restart, removal — applied at once by the <see cref="WorkloadConductor"/>,
/// the one owner of every workload, so the console never races a workspace's own job or the reconciler. A
/// workspace's own state follows what the console did (<see cref="Workspaces.WorkspaceStateWatcher"/>). Without a
/// platform every action answers 503; without a usage sample the usage is null.
/// </summary>
public sealed partial class WorkloadConsoleService(
    ClasscloudDb db, IContainerPlatform platform, WorkloadConductor conductor, IServiceProvider services, AuditLog audit, TimeProvider time)
{
    /// <summary>Most replicas the console lets one workload have (a classroom tool, not a cluster scheduler).</summary>
    public const int MaxReplicas = 20;

    /// <summary>This host's platform (its Features.Enabled says whether there is one).</summary>
    public IContainerPlatform Platform => platform;

    IUsageSnapshot? Usage => services.GetService<IUsageSnapshot>();

    public Task<Outcome<WorkloadDetailDto>> StartAsync(string id, CancellationToken ct) => ChangeAsync(id, WorkloadAuditActions.Start, row =>
    {
        WorkloadConductor.Desire(row, WorkloadStates.Running, time.GetUtcNow().UtcDateTime);
        row.NextRetryAt = null; // an administrator's start does not wait out a backoff
        return null;
    }, ct);

    public Task<Outcome<WorkloadDetailDto>> StopAsync(string id, CancellationToken ct) => ChangeAsync(id, WorkloadAuditActions.Stop, row =>
    {
        WorkloadConductor.Desire(row, WorkloadStates.Stopped, time.GetUtcNow().UtcDateTime);
        return null;
    }, ct);

    public Task<Outcome<WorkloadDetailDto>> ScaleAsync(string id, int? replicas, CancellationToken ct)
    {
        if (replicas is not { } n || n < 0 || n > MaxReplicas)
        {
            return Task.FromResult<Outcome<WorkloadDetailDto>>(Problem.BadRequest("Replicas must be a whole number from 0 to {0}.", MaxReplicas));
        }
        return ChangeAsync(id, WorkloadAuditActions.Scale, row =>
        {
            WorkloadDefinition definition;
            try
            {
                definition = WorkloadDefinition.FromJson(row.SpecJson);
            }
            catch (System.Text.Json.JsonException)
            {
                return Problem.Conflict("The workload's spec cannot be read, so it cannot be scaled.");
            }
            var old = definition.Replicas;
            row.SpecJson = (definition with { Replicas = n }).ToJson();
            row.Generation++;
            return $"{old}→{n}";
        }, ct);
    }

    /// <summary>Restarts every replica now and forgets the crash loop and backoff; a stopped workload is started.</summary>
    public async Task<Outcome<WorkloadDetailDto>> RestartAsync(string id, CancellationToken ct)
    {
        if (await EngineProblemAsync(ct) is { } unavailable)
        {
            return unavailable;
        }
        if (!await db.Workloads.AnyAsync(w => w.Id == id, ct))
        {
            return Problem.NotFound("No such workload.");
        }
        if (await EngineAsync(() => conductor.RestartAsync(id, ct)) is { } failed)
        {
            return failed;
        }
        audit.Record(WorkloadAuditActions.Restart, target: id);
        await db.SaveChangesAsync(ct);
        return await DetailAsync(await db.Workloads.AsNoTracking().SingleAsync(w => w.Id == id, ct), ct);
    }

    /// <summary>Removes the containers (volumes stay) and the row, through the conductor.</summary>
    public async Task<Problem?> DeleteAsync(string id, CancellationToken ct)
    {
        if (await EngineProblemAsync(ct) is { } unavailable)
        {
            return unavailable;
        }
        var row = await db.Workloads.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id, ct);
        if (row is null)
        {
            return Problem.NotFound("No such workload.");
        }
        if (await EngineAsync(async () =>
            {
                await conductor.DesireAsync(id, WorkloadStates.Removed, ct);
                await conductor.ApplyAsync(id, ct);
            }) is { } failed)
        {
            return failed;
        }
        audit.Record(WorkloadAuditActions.Delete, target: id, detail: row.Kind);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>A change of the desired state: saved with its audit entry, then the reconciler is woken to converge it.</summary>
    async Task<Outcome<WorkloadDetailDto>> ChangeAsync(string id, string action, Func<Workload, object?> change, CancellationToken ct)
    {
        if (await EngineProblemAsync(ct) is { } unavailable)
        {
            return unavailable;
        }
        var row = await db.Workloads.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (row is null)
        {
            return Problem.NotFound("No such workload.");
        }
        var result = change(row);
        if (result is Problem problem)
        {
            return problem;
        }
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record(action, target: id, detail: result as string);
        await db.SaveChangesAsync(ct);
        if (await EngineAsync(() => conductor.ApplyAsync(id, ct)) is { } failed)
        {
            return failed;
        }
        db.ChangeTracker.Clear();
        return await DetailAsync(await db.Workloads.AsNoTracking().SingleAsync(w => w.Id == id, ct), ct);
    }

    /// <summary>503 when the platform is off or the engine does not answer; actions then change nothing.</summary>
    public async Task<Problem?> EngineProblemAsync(CancellationToken ct)
    {
        if (!platform.Features.Enabled)
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, "The container platform is not enabled on this server.");
        }
        try
        {
            await platform.GetEngineInfoAsync(ct);
            return null;
        }
        catch (PlatformException ex)
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, "The container engine cannot be reached: {0}", ex.Message);
        }
    }

    static async Task<Problem?> EngineAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (ArgumentException)
        {
            // Its id could never have been one on the engine.
            return null;
        }
        catch (PlatformUnavailableException ex)
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, "The container engine cannot be reached: {0}", ex.Message);
        }
        catch (PlatformException ex)
        {
            return new Problem(StatusCodes.Status502BadGateway, "The container engine refused: {0}", ex.Message);
        }
    }
}
