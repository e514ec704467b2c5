using Classcloud.Web.Data;
using Classcloud.Web.Workspaces.Gateway;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Idle stop (issue 5): a running workspace nobody has been connected to for
/// <see cref="WorkspacesOptions.IdleSuspendAfter"/> is suspended (memory kept, resumes in ~50 ms
/// on the next connection), and stopped once idle for <see cref="WorkspacesOptions.IdleStopAfter"/>.
/// Nothing in home is lost either way. Idle time comes from the gateway's presence (who is connected,
/// and since when nobody is); a host without the gateway cannot tell and leaves workspaces alone.
/// </summary>
public sealed class IdleWatcher(IServiceScopeFactory scopes, IServiceProvider services, WorkspaceQueue queue,
    IOptions<WorkspacesOptions> options, TimeProvider time, ILogger<IdleWatcher> log) : BackgroundService
{
    readonly DateTimeOffset started = time.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IdleCheckInterval, time);
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

    public async Task CheckAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (services.GetService<IWorkspacePresence>() is not { } presence || (o.IdleSuspendAfter == TimeSpan.Zero && o.IdleStopAfter == TimeSpan.Zero))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var engine = scope.ServiceProvider.GetRequiredService<WorkspaceEngine>();
        var now = time.GetUtcNow();
        var live = await db.Workspaces.Where(w => w.State == WorkspaceStates.Running || w.State == WorkspaceStates.Suspended)
            .OrderBy(w => w.Id).Take(5000).ToListAsync(ct);
        foreach (var w in live)
        {
            if (presence.Who(w.Id).Count > 0)
            {
                continue;
            }
            // Never connected since this process started: count from the later of its last state change and our start.
            var changed = new DateTimeOffset(DateTime.SpecifyKind(w.UpdatedAt, DateTimeKind.Utc));
            var since = presence.LastSeen(w.Id) ?? (changed > started ? changed : started);
            var idle = now - since;
            if (o.IdleStopAfter > TimeSpan.Zero && idle >= o.IdleStopAfter)
            {
                var claimed = await db.Workspaces.Where(x => x.Id == w.Id && x.State == w.State)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, WorkspaceStates.Stopping).SetProperty(x => x.UpdatedAt, now.UtcDateTime), ct);
                if (claimed == 1 && queue.TryEnqueue(new WorkspaceJob(w.Id, WorkspaceJobKind.Stop)))
                {
                    log.LogInformation("Stopping workspace {Workspace}: idle for {Idle}", w.Id, idle);
                }
            }
            else if (w.State == WorkspaceStates.Running && o.IdleSuspendAfter > TimeSpan.Zero && idle >= o.IdleSuspendAfter)
            {
                presence.Notify(w.Id, "idle", "This workspace is being suspended after no one used it; connecting again resumes it.");
                await engine.SuspendAsync(w, ct);
                log.LogInformation("Suspended workspace {Workspace}: idle for {Idle}", w.Id, idle);
            }
        }
    }
}
