using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Runs queued workspace jobs, a few at a time (a long save must not hold up starts). On start it
/// recovers workspaces a previous run left mid-transition: creates, starts, stops and deletes are
/// queued again (each is idempotent on the engine); an interrupted save returns to stopped with a
/// reason, since the push cannot resume. A failed job leaves the workspace in error with the reason.
/// </summary>
public sealed class WorkspaceWorker(IServiceScopeFactory scopes, WorkspaceQueue queue, WorkspaceAdmission admission, TimeProvider time, ILogger<WorkspaceWorker> log) : BackgroundService
{
    public const int Workers = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RecoverAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Recovering interrupted workspace actions failed");
        }
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => LoopAsync(stoppingToken)));
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

    async Task RecoverAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        // Starts still waiting for capacity (QueuedAt set) stay in the queue: WorkspaceAdmission reads it from the database.
        var stuck = await db.Workspaces.Where(w => w.Deleting || w.State == WorkspaceState.Creating || (w.State == WorkspaceState.Starting && w.QueuedAt == null)
            || w.State == WorkspaceState.Stopping || w.State == WorkspaceState.Saving).ToListAsync(ct);
        foreach (var w in stuck)
        {
            if (WorkspaceLifecycle.Recovery(w) is { } kind)
            {
                log.LogInformation("Workspace {Workspace} was left {State}; running {Action} again", w.Id, w.State, kind);
                queue.TryEnqueue(new WorkspaceJob(w.Id, kind));
            }
            else
            {
                w.State = WorkspaceState.Stopped;
                w.ProgressBytes = null;
                w.Reason = WorkspaceReason.Of(WorkspaceReason.SaveInterrupted);
                w.UpdatedAt = time.GetUtcNow().UtcDateTime;
            }
        }
        // Running already from the warm pool, but the hand-over (the move to the owner's network) did not happen.
        var handedOver = await db.WarmPoolEntries.Where(e => e.WorkspaceId != null).Select(e => e.WorkspaceId!.Value).ToListAsync(ct);
        foreach (var id in handedOver.Where(id => !stuck.Any(w => w.Id == id)))
        {
            log.LogInformation("Workspace {Workspace} has a warm-pool hand-over to finish", id);
            queue.TryEnqueue(new WorkspaceJob(id, WorkspaceJobKind.Create));
        }
        await db.SaveChangesAsync(ct);
    }
}
