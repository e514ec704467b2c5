using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Runs queued workspace jobs, a few at a time (a long save must not hold up starts). It also recovers
/// workspaces left mid-transition by a process that is gone (its liveness lease expired or was released;
/// see <see cref="Workspace.JobHolder"/>): on start and every lease renewal interval after. Creates, starts,
/// stops and deletes are queued again here (each is idempotent on the engine); an interrupted save returns
/// to stopped with a reason, since the push cannot resume. Jobs of live processes are never touched, so a
/// process joining (an autoscaler's scale-up) leaves its peers' work alone. A failed job leaves the
/// workspace in error with the reason.
/// </summary>
public sealed class WorkspaceWorker(IServiceScopeFactory scopes, WorkspaceQueue queue, WorkspaceAdmission admission, IOptions<ControllerOptions> leases,
    TimeProvider time, ILogger<WorkspaceWorker> log) : BackgroundService
{
    public const int Workers = 3;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([RecoveryLoopAsync(stoppingToken), .. Enumerable.Range(0, Workers).Select(_ => LoopAsync(stoppingToken))]);

    async Task RecoveryLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(leases.Value.LeaseRenewInterval, time);
        do
        {
            try
            {
                await RecoverAsync(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Recovering interrupted workspace actions failed");
            }
        }
        while (await WaitAsync(timer, ct));
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            WorkspaceJob job;
            try
            {
                job = await queue.ReadAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RunAsync(job, ct);
            // A stop, a delete or a failed start frees capacity (a save or create may too, by failing or
            // finishing); the queue of waiting starts looks again.
            admission.Wake();
        }
    }

    async Task RunAsync(WorkspaceJob job, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WorkspaceEngine>().RunAsync(job, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the transitional state stays, and the next start recovers it.
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "Workspace {Workspace}: {Action} failed", job.WorkspaceId, job.Kind);
            await FailAsync(job, ex.Message, ct);
        }
    }

    async Task FailAsync(WorkspaceJob job, string reason, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
            var text = WorkspaceReason.Of(WorkspaceReason.Failed, job.Kind.ToString().ToLowerInvariant(), reason);
            await db.Workspaces.Where(w => w.Id == job.WorkspaceId).ExecuteUpdateAsync(s => s
                .SetProperty(w => w.State, WorkspaceState.Error).SetProperty(w => w.Reason, text).SetProperty(w => w.QueuedAt, (DateTime?)null)
                .SetProperty(w => w.ProgressBytes, (long?)null).SetProperty(w => w.UpdatedAt, time.GetUtcNow().UtcDateTime), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Could not record the failure of workspace {Workspace}", job.WorkspaceId);
        }
    }

    /// <summary>Takes over the jobs of processes that are gone (one claim per row, so two recovering processes never both run one).</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var now = time.GetUtcNow().UtcDateTime;
        var me = queue.Holder;
        var orphaned = db.Workspaces.Where(w => w.JobHolder != me
            && !db.Leases.Any(l => l.Name == ProcessIdentity.LeasePrefix + w.JobHolder && l.ExpiresAt >= now));
        // Starts still waiting for capacity (QueuedAt set) stay in the queue: WorkspaceAdmission reads it from the database.
        var stuck = await orphaned.Where(w => w.Deleting || w.State == WorkspaceState.Creating || (w.State == WorkspaceState.Starting && w.QueuedAt == null)
            || w.State == WorkspaceState.Stopping || w.State == WorkspaceState.Saving).AsNoTracking().Take(1000).ToListAsync(ct);
        // Running already from the warm pool, but the hand-over (the move to the owner's network) did not happen.
        var handedOver = await db.WarmPoolEntries.Where(e => e.WorkspaceId != null).Select(e => e.WorkspaceId!.Value).ToListAsync(ct);
        var unfinished = handedOver.Count == 0 ? []
            : await orphaned.Where(w => handedOver.Contains(w.Id)).AsNoTracking().ToListAsync(ct);
        foreach (var w in stuck.Concat(unfinished.Where(u => !stuck.Any(s => s.Id == u.Id))))
        {
            var kind = stuck.Contains(w) ? WorkspaceLifecycle.Recovery(w) : WorkspaceJobKind.Create;
            if (!await TakeOverAsync(db, w, kind, now, ct))
            {
                continue; // another process took it first, or its state moved on
            }
            if (kind is { } job)
            {
                log.LogInformation("Workspace {Workspace} was left {State} by process {Holder}; running {Action} again", w.Id, w.State, w.JobHolder ?? "(none)", job);
                queue.TryEnqueue(new WorkspaceJob(w.Id, job));
            }
        }
    }

    /// <summary>One conditional update: the holder and state it was read with, so exactly one process takes it over.</summary>
    Task<bool> TakeOverAsync(ClasscloudDb db, Workspace w, WorkspaceJobKind? kind, DateTime now, CancellationToken ct)
    {
        var mine = db.Workspaces.Where(x => x.Id == w.Id && x.JobHolder == w.JobHolder && x.State == w.State);
        if (kind is not null)
        {
            return Updated(mine.ExecuteUpdateAsync(s => s.SetProperty(x => x.JobHolder, queue.Holder), ct));
        }
        // A save cannot resume: back to stopped, saying so.
        return Updated(mine.ExecuteUpdateAsync(s => s.SetProperty(x => x.State, WorkspaceState.Stopped).SetProperty(x => x.ProgressBytes, (long?)null)
            .SetProperty(x => x.Reason, WorkspaceReason.Of(WorkspaceReason.SaveInterrupted)).SetProperty(x => x.UpdatedAt, now)
            .SetProperty(x => x.JobHolder, (string?)null), ct));

        static async Task<bool> Updated(Task<int> update) => await update == 1;
    }
}
