using Classcloud.Platform;
using Classcloud.Web.Admin;
using Classcloud.Web.Controller;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

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
/// The administrator's container console (issue 3, seed 004 REQ-001/002/004). Start, stop and scale
/// change the desired state in the Workloads row and wake the reconciler, which converges the engine;
/// restart and delete act on the engine at once (the reconciler is held off that workload meanwhile).
/// The platform and the usage sampler are optional services: without the platform every action
/// answers 503, without a sample the usage is null.
/// </summary>
public sealed partial class WorkloadConsoleService(
    ClasscloudDb db, IServiceProvider services, ReconcilerWake wake, AuditLog audit, TimeProvider time, IStringLocalizer<SharedResource> t)
{
    /// <summary>Most replicas the console lets one workload have (a classroom tool, not a cluster scheduler).</summary>
    public const int MaxReplicas = 20;

    IContainerPlatform? Platform => services.GetService<IContainerPlatform>();

    /// <summary>The platform, when this host has it enabled.</summary>
    public IContainerPlatform? PlatformOrNull => Platform;

    IUsageSnapshot? Usage => services.GetService<IUsageSnapshot>();

    public Task<Outcome<WorkloadDetailDto>> StartAsync(string id, CancellationToken ct) => ChangeAsync(id, WorkloadAuditActions.Start, row =>
    {
        row.DesiredState = WorkloadStates.Running;
        row.NextRetryAt = null; // an administrator's start does not wait out a backoff
        return null;
    }, ct);

    public Task<Outcome<WorkloadDetailDto>> StopAsync(string id, CancellationToken ct) => ChangeAsync(id, WorkloadAuditActions.Stop, row =>
    {
        row.DesiredState = WorkloadStates.Stopped;
        return null;
    }, ct);

    public Task<Outcome<WorkloadDetailDto>> ScaleAsync(string id, int? replicas, CancellationToken ct)
    {
        if (replicas is not { } n || n < 0 || n > MaxReplicas)
        {
            return Task.FromResult<Outcome<WorkloadDetailDto>>(Problem.BadRequest(t["Replicas must be a whole number from 0 to {0}.", MaxReplicas]));
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
                return Problem.Conflict(t["The workload's spec cannot be read, so it cannot be scaled."]);
            }
            var old = definition.Replicas;
            row.SpecJson = (definition with { Replicas = n }).ToJson();
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
        var row = await db.Workloads.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (row is null)
        {
            return Problem.NotFound(t["No such workload."]);
        }
        using (wake.Hold(id))
        {
            row.DesiredState = WorkloadStates.Running;
            row.CrashLoop = false;
            row.WindowRestarts = 0;
            row.RestartWindowStartedAt = null;
            row.NextRetryAt = null;
            row.UpdatedAt = time.GetUtcNow().UtcDateTime;
            audit.Record(WorkloadAuditActions.Restart, target: id);
            await db.SaveChangesAsync(ct);
            if (await EngineAsync(p => p.RestartAsync(new WorkloadId(id), ct), allowMissing: true) is { } failed)
            {
                return failed;
            }
        }
        wake.Wake(); // replicas that did not exist yet are the reconciler's to create
        return await DetailAsync(row, ct);
    }

    /// <summary>Removes the containers (volumes stay), then the row, so the reconciler does not see an orphan-less row vanish half-way.</summary>
    public async Task<Problem?> DeleteAsync(string id, CancellationToken ct)
    {
        if (await EngineProblemAsync(ct) is { } unavailable)
        {
            return unavailable;
        }
        var row = await db.Workloads.SingleOrDefaultAsync(w => w.Id == id, ct);
        if (row is null)
        {
            return Problem.NotFound(t["No such workload."]);
        }
        using (wake.Hold(id))
        {
            if (await EngineAsync(p => p.RemoveAsync(new WorkloadId(id), ct), allowMissing: true) is { } failed)
            {
                return failed;
            }
            db.Workloads.Remove(row);
            audit.Record(WorkloadAuditActions.Delete, target: id, detail: row.Kind);
            await db.SaveChangesAsync(ct);
        }
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
            return Problem.NotFound(t["No such workload."]);
        }
        var result = change(row);
        if (result is Problem problem)
        {
            return problem;
        }
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record(action, target: id, detail: result as string);
        await db.SaveChangesAsync(ct);
        wake.Wake();
        return await DetailAsync(row, ct);
    }

    /// <summary>503 when the platform is off or the engine does not answer; actions then change nothing.</summary>
    public async Task<Problem?> EngineProblemAsync(CancellationToken ct)
    {
        if (Platform is not { } platform)
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, t["The container platform is not enabled on this server."]);
        }
        try
        {
            await platform.GetEngineInfoAsync(ct);
            return null;
        }
        catch (PlatformException ex)
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, t["The container engine cannot be reached: {0}", ex.Message]);
        }
    }

    async Task<Problem?> EngineAsync(Func<IContainerPlatform, Task> action, bool allowMissing)
    {
        try
        {
            await action(Platform!);
            return null;
        }
        catch (Exception ex) when (allowMissing && ex is PlatformNotFoundException or ArgumentException)
        {
            // Nothing of it exists on the engine (or its id could never have been one there).
            return null;
        }
        catch (PlatformUnavailableException ex)
        {
            return new Problem(StatusCodes.Status503ServiceUnavailable, t["The container engine cannot be reached: {0}", ex.Message]);
        }
        catch (PlatformException ex)
        {
            return new Problem(StatusCodes.Status502BadGateway, t["The container engine refused: {0}", ex.Message]);
        }
    }
}
