using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Gateway;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Idle stop (issue 5): a running workspace nobody has been connected to for
/// <see cref="WorkspacesOptions.IdleSuspendAfter"/> is suspended (memory kept, resumes in ~50 ms
/// on the next connection), and stopped once idle for <see cref="WorkspacesOptions.IdleStopAfter"/>.
/// A workspace linked to a course uses the course's own minutes where it sets them. On a platform that
/// cannot pause (Kubernetes) the suspend step stops the workspace instead. Nothing in home is lost either way.
/// Idle time comes from presence: this process's own connections, and what every gateway process writes
/// to <see cref="Workspace.LastSeenAt"/> (<see cref="PresenceHeartbeat"/>), so a process without the
/// gateway role decides as well as one with it. One process decides at a time: the holder of the "idle"
/// lease, taken or renewed on every check (it lasts three check intervals, so a dead holder's turn passes).
/// </summary>
public sealed class IdleWatcher(
    IServiceScopeFactory scopes, IWorkspacePresence presence, IContainerPlatform platform, WorkspaceQueue queue, IdleClock clock, ILogger<IdleWatcher> log)
    : BackgroundService
{
    public const string LeaseName = "idle";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = clock.NewTimer();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Idle check failed");
            }
        }
    }

    /// <summary>One look at every live workspace; false when another process holds the idle lease (nothing done).</summary>
    public async Task<bool> CheckAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var leases = scope.ServiceProvider.GetRequiredService<LeaseStore>();
        if (!await leases.TryAcquireAsync(LeaseName, queue.Holder, 3 * clock.Interval, ct))
        {
            return false;
        }
        // Kubernetes has no pause: there the suspend step is a stop (home kept, programs end).
        var canPause = platform.Features.Pause;
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var engine = scope.ServiceProvider.GetRequiredService<WorkspaceEngine>();
        var now = clock.Now;
        var live = await db.Workspaces.Where(w => w.State == WorkspaceState.Running || w.State == WorkspaceState.Suspended)
            .OrderBy(w => w.Id).Take(5000).ToListAsync(ct);
        var limits = await clock.LimitsAsync(db, live, ct);
        foreach (var w in live)
        {
            if (presence.Who(w.Id).Count > 0)
            {
                continue;
            }
            var (suspendAfter, stopAfter) = clock.LimitsOf(w, limits);
            var idle = clock.IdleFor(w, now);
            var stop = stopAfter > TimeSpan.Zero && idle >= stopAfter;
            var suspend = !stop && w.State == WorkspaceState.Running && suspendAfter > TimeSpan.Zero && idle >= suspendAfter;
            if (stop || suspend && !canPause)
            {
                await StopAsync(db, w, now, idle, ct);
            }
            else if (suspend)
            {
                // Idle means nobody is connected, so this reaches only a terminal connecting right now
                // (docs/workspaces.md "Idle stop": why a connected but quiet session is never suspended).
                presence.Notify(w.Id, "idle", "This workspace is being suspended after no one used it; connecting again resumes it.");
                await engine.SuspendAsync(w, ct);
                log.LogInformation("Suspended workspace {Workspace}: idle for {Idle}", w.Id, idle);
            }
        }
        return true;
    }

    async Task StopAsync(ClasscloudDb db, Workspace w, DateTimeOffset now, TimeSpan idle, CancellationToken ct)
    {
        var claimed = await db.Workspaces.Where(x => x.Id == w.Id && x.State == w.State)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, WorkspaceState.Stopping).SetProperty(x => x.UpdatedAt, now.UtcDateTime)
                .SetProperty(x => x.JobHolder, queue.Holder), ct);
        if (claimed == 1 && queue.TryEnqueue(new WorkspaceJob(w.Id, WorkspaceJobKind.Stop)))
        {
            log.LogInformation("Stopping workspace {Workspace}: idle for {Idle}", w.Id, idle);
        }
    }
}
