using Classcloud.Platform;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Keeps a workspace's state true to its container once no job of its own is acting. Every
/// <see cref="WorkspacesOptions.StateCheckInterval"/> it compares live workspaces with their <see cref="Workload"/>
/// request and the engine:
/// <list type="bullet">
/// <item>meant to run, container dead or gone (engine restart, OOM kill, <c>docker kill</c>): <c>restarting</c>, while the
/// reconciler brings it back, then <c>running</c> again; given up on (a crash loop): <c>error</c>;</item>
/// <item>its request says stopped (the container console stopped it): <c>stopped</c>, so it holds no capacity;</item>
/// <item>a stopped workspace whose request says running and whose container runs (the console started it): <c>running</c>.</item>
/// </list>
/// A workload someone is converging right now (claimed) is left for the next look. Every change is a conditional
/// UPDATE on the state it saw, so it never overwrites what a job or a person did meanwhile.
/// </summary>
public sealed class WorkspaceStateWatcher(
    IServiceScopeFactory scopes, IContainerPlatform platform, WorkspaceAdmission admission, IOptions<WorkspacesOptions> options, TimeProvider time,
    ILogger<WorkspaceStateWatcher> log) : BackgroundService
{
    /// <summary>Stopped workspaces looked at per pass for a start from the console.</summary>
    const int MaxStopped = 5000;

    /// <summary>Checks done.</summary>
    public PassCounter Counter { get; } = new();

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
            Counter.Done();
        }
    }

    sealed record Seen(long Id, WorkspaceState State, string? Reason, string? WorkloadId);

    internal async Task CheckAsync(CancellationToken ct)
    {
        if (!platform.Features.Enabled)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClasscloudDb>();
        var names = scope.ServiceProvider.GetRequiredService<WorkspaceNames>();
        var watched = await db.Workspaces.AsNoTracking()
            .Where(w => !w.Deleting && (w.State == WorkspaceState.Running || w.State == WorkspaceState.Suspended
                || w.State == WorkspaceState.Restarting || w.State == WorkspaceState.Stopped))
            .OrderBy(w => w.Id).Take(MaxStopped)
            .Select(w => new Seen(w.Id, w.State, w.Reason, w.WorkloadId))
            .ToListAsync(ct);
        var ids = watched.ToDictionary(w => names.Workload(w.Id, w.WorkloadId).Value, StringComparer.Ordinal);
        var requests = new Dictionary<string, Workload>(StringComparer.Ordinal);
        foreach (var chunk in ids.Keys.Chunk(500))
        {
            foreach (var row in await db.Workloads.AsNoTracking().Where(x => chunk.Contains(x.Id)).ToListAsync(ct))
            {
                requests[row.Id] = row;
            }
        }
        var freed = false;
        foreach (var (id, w) in ids)
        {
            requests.TryGetValue(id, out var request);
            if (request?.ClaimedBy is not null && request.ClaimedUntil > time.GetUtcNow().UtcDateTime)
            {
                continue; // someone is acting on it right now
            }
            if (w.State == WorkspaceState.Stopped && request?.DesiredState != WorkloadStates.Running)
            {
                continue; // stopped and meant to be: nothing to ask the engine
            }
            var status = await platform.GetAsync(new WorkloadId(id), ct);
            if (Next(w, request, status) is not { } next)
            {
                continue;
            }
            var changed = await db.Workspaces.Where(x => x.Id == w.Id && x.State == w.State && x.Reason == w.Reason && !x.Deleting)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, next.State).SetProperty(x => x.Reason, next.Reason)
                    .SetProperty(x => x.UpdatedAt, time.GetUtcNow().UtcDateTime), ct);
            if (changed > 0)
            {
                freed |= next.State is WorkspaceState.Stopped or WorkspaceState.Error;
                log.LogInformation("Workspace {Workspace}: {From} → {To} ({Reason})", w.Id, w.State, next.State, next.Reason);
                if (next.State == WorkspaceState.Restarting)
                {
                    // This update won the move, so this crash is told exactly once.
                    await scope.ServiceProvider.GetRequiredService<CrashNotices>().RestartedAsync(w.Id, next.Reason, ct);
                }
            }
        }
        if (freed)
        {
            admission.Wake(); // capacity came free: queued starts may go
        }
    }

    /// <summary>The state the workspace should show, given its request and its container; null: as it is.</summary>
    static (WorkspaceState State, string? Reason)? Next(Seen w, Workload? request, WorkloadStatus? status)
    {
        var alive = status is { Instances.Count: > 0 } && status.Running == status.Instances.Count;
        if (request?.DesiredState == WorkloadStates.Stopped)
        {
            return alive || w.State == WorkspaceState.Stopped ? null : (WorkspaceState.Stopped, WorkspaceReason.Of(WorkspaceReason.StoppedOutside));
        }
        if (w.State == WorkspaceState.Stopped)
        {
            return alive ? (WorkspaceState.Running, null) : null;
        }
        if (request is { CrashLoop: true } && !alive)
        {
            return (WorkspaceState.Error, WorkspaceReason.Of(WorkspaceReason.CrashLoop, request.LastError ?? ""));
        }
        if (w.State != WorkspaceState.Restarting && !alive)
        {
            var instance = status?.Instances.FirstOrDefault(i => i.State != InstanceState.Running && i.State != InstanceState.Paused);
            var detail = status is null or { Instances.Count: 0 } ? ["gone"]
                : instance is { OomKilled: true } ? ["oom"]
                : instance?.ExitCode is { } code ? new[] { "exit", code.ToString(System.Globalization.CultureInfo.InvariantCulture) } : ["stopped"];
            return (WorkspaceState.Restarting, WorkspaceReason.Of(WorkspaceReason.Restarting, detail));
        }
        if (w.State != WorkspaceState.Restarting || !alive)
        {
            return null;
        }
        // Back; a suspended workspace that crashed comes back frozen (its request still says paused).
        return (request?.DesiredState == WorkloadStates.Paused ? WorkspaceState.Suspended : WorkspaceState.Running, null);
    }
}
