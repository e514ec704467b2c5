using Classcloud.Platform;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Orchestration;

/// <summary>
/// The one place that turns a <see cref="Workload"/> row into engine calls (issue 11, DESIGN.md §2 "One owner per
/// workload"). Features (workspaces, the console, the warm pool, …) write the request — the row's spec and desired
/// state, each change one more <see cref="Workload.Generation"/> — and call <see cref="ApplyAsync"/> when a person
/// waits; the reconciler repairs drift through the same <see cref="WorkloadConvergence"/> under the same claim
/// (<see cref="WorkloadClaims"/>), so two writers, in one process or several, never drive one workload at once.
/// </summary>
public sealed class WorkloadConductor(ClasscloudDb db, IContainerPlatform platform, WorkloadClaims claims, WorkloadConvergence convergence, TimeProvider time)
{
    /// <summary>Creates or replaces one workload's request; saves.</summary>
    public async Task<Workload> RequestAsync(string id, string kind, long? ownerId, string? tenant, WorkloadDefinition definition, string desiredState,
        CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.Workloads.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (row is null)
        {
            row = new Workload { Id = id, CreatedAt = now };
            db.Workloads.Add(row);
        }
        (row.Kind, row.OwnerId, row.Tenant, row.SpecJson) = (kind, ownerId, tenant, definition.ToJson());
        Desire(row, desiredState, now);
        await db.SaveChangesAsync(ct);
        return row;
    }

    /// <summary>Changes only the desired state; saves. Null when there is no such workload.</summary>
    public async Task<Workload?> DesireAsync(string id, string desiredState, CancellationToken ct)
    {
        var row = await db.Workloads.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (row is null)
        {
            return null;
        }
        Desire(row, desiredState, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return row;
    }

    /// <summary>Changes a tracked row's request without saving (a caller that saves other rows in the same transaction).</summary>
    public static void Desire(Workload row, string desiredState, DateTime now)
    {
        if (desiredState == WorkloadStates.Running && row.DesiredState != WorkloadStates.Running)
        {
            // An explicit start gives a crashed workload a fresh chance.
            (row.NextRetryAt, row.CrashLoop, row.WindowRestarts) = (null, false, 0);
        }
        row.DesiredState = desiredState;
        row.Generation++;
        row.UpdatedAt = now;
    }

    /// <summary>
    /// Converges the engine to the row now, waiting for whoever holds the workload's claim first. A
    /// <see cref="WorkloadStates.Removed"/> workload is removed and its row deleted (then null is returned).
    /// </summary>
    public async Task<WorkloadStatus?> ApplyAsync(string id, CancellationToken ct)
    {
        await using var claim = await claims.WaitAsync(id, ct);
        if (claim is null)
        {
            return await platform.GetAsync(new WorkloadId(id), ct); // no row: nothing is asked of this workload
        }
        return await convergence.ConvergeAsync(claim.Row, await platform.GetAsync(new WorkloadId(id), ct), ct);
    }

    /// <summary>Restarts every replica now (the console), forgiving crash loops and backoff, under the claim.</summary>
    public async Task RestartAsync(string id, CancellationToken ct)
    {
        await using var claim = await claims.WaitAsync(id, ct) ?? throw new PlatformNotFoundException($"No workload {id}.");
        var row = claim.Row;
        Desire(row, WorkloadStates.Running, time.GetUtcNow().UtcDateTime);
        (row.CrashLoop, row.WindowRestarts, row.RestartWindowStartedAt, row.NextRetryAt) = (false, 0, null, null);
        try
        {
            await platform.RestartAsync(new WorkloadId(id), ct);
        }
        catch (PlatformNotFoundException)
        {
            // Nothing of it on the engine yet: converging creates and starts it.
            await convergence.ConvergeAsync(row, null, ct);
            return;
        }
        // What the restarted replicas do next (run, or crash again) is the reconciler's to see at its next pass.
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Runs <paramref name="action"/> while holding the workload's claim, so no convergence (here or in another
    /// process) acts on it meanwhile — for steps that are not a desired state, such as a warm-pool hand-over's
    /// network move. False when there is no such workload.
    /// </summary>
    public async Task<bool> WhileClaimedAsync(string id, Func<Workload, Task> action, CancellationToken ct)
    {
        await using var claim = await claims.WaitAsync(id, ct);
        if (claim is null)
        {
            return false;
        }
        await action(claim.Row);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
