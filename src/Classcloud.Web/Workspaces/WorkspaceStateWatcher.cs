using Classcloud.Platform;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Keeps a workspace's state true to the engine after it leaves a job's hands. Every
/// <see cref="WorkspacesOptions.StateCheckInterval"/> it looks at running and suspended workspaces:
/// one whose container died or vanished (engine restart, OOM kill, <c>docker kill</c>) becomes
/// <c>starting</c> with a reason while the reconciler brings it back, then <c>running</c> again; one
/// the reconciler gave up on (a crash loop) becomes <c>error</c> with the reason. Every change is a
/// conditional UPDATE on the state it saw, so it never overwrites what a job or a person did meanwhile.
/// </summary>
public sealed class WorkspaceStateWatcher(IServiceScopeFactory scopes, IOptions<WorkspacesOptions> options, TimeProvider time, ILogger<WorkspaceStateWatcher> log)
    : BackgroundService
{
    /// <summary>The start of the reason of a workspace the watcher moved to starting (so it knows which starting workspaces are its own).</summary>
    public const string RestartingReason = "The container stopped";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StateCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Checking workspaces against the engine failed");
            }
        }
    }

    internal async Task CheckAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        if (services.GetService<IContainerPlatform>() is not { } platform)
        {
            return;
        }
        var db = services.GetRequiredService<ClasscloudDb>();
        var names = services.GetRequiredService<WorkspaceNames>();
        var watched = await db.Workspaces.AsNoTracking()
            .Where(w => !w.Deleting && (w.State == WorkspaceStates.Running || w.State == WorkspaceStates.Suspended
                || (w.State == WorkspaceStates.Starting && w.Reason != null && w.Reason.StartsWith(RestartingReason))))
            .Select(w => new { w.Id, w.State, w.Reason, w.WorkloadId })
            .ToListAsync(ct);
        foreach (var w in watched)
        {
            var id = names.Workload(w.Id, w.WorkloadId);
            var status = await platform.GetAsync(id, ct);
            var alive = status is { Instances.Count: > 0 } && status.Running == status.Instances.Count;
            var row = await db.Workloads.AsNoTracking().Where(x => x.Id == id.Value).Select(x => new { x.CrashLoop, x.LastError }).SingleOrDefaultAsync(ct);
            string? state = null;
            string? reason = null;
            if (row is { CrashLoop: true } && !alive)
            {
                (state, reason) = (WorkspaceStates.Error, $"The container keeps crashing; start it again to retry. {row.LastError}".Trim());
            }
            else if (w.State != WorkspaceStates.Starting && !alive)
            {
                var instance = status?.Instances.FirstOrDefault(i => i.State != InstanceState.Running && i.State != InstanceState.Paused);
                var detail = status is null or { Instances.Count: 0 } ? "it is gone from the engine"
                    : instance is { OomKilled: true } ? "it ran out of memory"
                    : instance?.ExitCode is { } code ? $"exit code {code}" : "it is not running";
                (state, reason) = (WorkspaceStates.Starting, $"{RestartingReason} ({detail}); it is being restarted.");
            }
            else if (w.State == WorkspaceStates.Starting && alive)
            {
                state = WorkspaceStates.Running;
            }
            if (state is null)
            {
                continue;
            }
            var changed = await db.Workspaces.Where(x => x.Id == w.Id && x.State == w.State && x.Reason == w.Reason && !x.Deleting)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, state).SetProperty(x => x.Reason, reason)
                    .SetProperty(x => x.UpdatedAt, time.GetUtcNow().UtcDateTime), ct);
            if (changed > 0)
            {
                log.LogInformation("Workspace {Workspace}: {From} → {To} ({Reason})", w.Id, w.State, state, reason);
            }
        }
    }
}
