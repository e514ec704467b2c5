using Classcloud.Platform;
using Classcloud.Web.Admin;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Monitoring;

/// <summary>
/// The home disk limit on Docker (issue 16). Docker's local volumes have no size limit of their own (a quota needs
/// an XFS backing file system with project quotas, which a school's one machine rarely has), so the limit is
/// measured: every <see cref="MonitoringOptions.HomeDiskInterval"/> the engine sizes the volumes
/// (<see cref="IContainerPlatform.VolumeSizesAsync"/>, a walk of the disk, hence not often), each workspace's
/// size is kept on its row, its owner is told under the bell once it reaches <see cref="WarnAt"/> of the limit, and
/// a workspace running above the limit is stopped with <see cref="WorkspaceReason.DiskFull"/>. Starting it again is
/// allowed (to delete files); the next measurement stops it again if it is still above. A driver that does not
/// measure (Kubernetes, where the claim's size is the limit) answers no sizes and nothing happens. One process
/// measures at a time: the holder of the "home-disk" lease.
/// </summary>
public sealed class HomeDiskWatcher(IServiceScopeFactory scopes, IContainerPlatform platform, WorkspaceQueue queue, IOptions<MonitoringOptions> options,
    TimeProvider time, ILogger<HomeDiskWatcher> log) : BackgroundService
{
    public const string LeaseName = "home-disk";

    /// <summary>The share of the limit at which the owner is warned.</summary>
    public const double WarnAt = 0.9;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HomeDiskInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Measuring workspace home volumes failed");
            }
        }
    }

    /// <summary>One measurement; false when another process holds the lease (nothing done).</summary>
    public async Task<bool> CheckAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        if (!await services.GetRequiredService<LeaseStore>().TryAcquireAsync(LeaseName, queue.Holder, 3 * options.Value.HomeDiskInterval, ct))
        {
            return false;
        }
        var limit = (await services.GetRequiredService<SettingsService>().GetAsync(ct)).WorkspaceHomeBytes;
        var sizes = await platform.VolumeSizesAsync(ct);
        if (sizes.Count == 0)
        {
            return true;
        }
        var db = services.GetRequiredService<ClasscloudDb>();
        var names = services.GetRequiredService<WorkspaceNames>();
        var notifier = services.GetRequiredService<Notifier>();
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var w in await db.Workspaces.Where(w => !w.Deleting).OrderBy(w => w.Id).ToListAsync(ct))
        {
            if (!sizes.TryGetValue(names.Volume(w), out var size))
            {
                continue;
            }
            w.HomeBytes = size;
            var over = limit > 0 && size > limit;
            if (limit > 0 && size >= WarnAt * limit && w.HomeWarnedAt is null)
            {
                w.HomeWarnedAt = now;
                notifier.Add(w.OwnerId, over ? NotificationKind.WorkspaceDiskFull : NotificationKind.WorkspaceDiskWarning, w.Name, new Actor(null, ""));
            }
            else if ((limit == 0 || size < WarnAt * limit) && w.HomeWarnedAt is not null)
            {
                w.HomeWarnedAt = null; // below again: the next crossing warns again
            }
            await db.SaveChangesAsync(ct);
            if (over && w.State is WorkspaceState.Running or WorkspaceState.Suspended or WorkspaceState.Restarting)
            {
                await StopAsync(db, notifier, w, size, limit, now, ct);
            }
        }
        return true;
    }

    async Task StopAsync(ClasscloudDb db, Notifier notifier, Workspace w, long size, long limit, DateTime now, CancellationToken ct)
    {
        var reason = WorkspaceReason.Of(WorkspaceReason.DiskFull, Invariant(size), Invariant(limit));
        var claimed = await db.Workspaces.Where(x => x.Id == w.Id && x.State == w.State && !x.Deleting)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, WorkspaceState.Stopping).SetProperty(x => x.Reason, reason)
                .SetProperty(x => x.UpdatedAt, now).SetProperty(x => x.JobHolder, queue.Holder), ct);
        if (claimed != 1)
        {
            return;
        }
        if (w.HomeWarnedAt != now)
        {
            // Warned earlier at 90 %: the stop itself is news too.
            notifier.Add(w.OwnerId, NotificationKind.WorkspaceDiskFull, w.Name, new Actor(null, ""));
            await db.SaveChangesAsync(ct);
        }
        queue.TryEnqueue(new WorkspaceJob(w.Id, WorkspaceJobKind.Stop));
        log.LogInformation("Stopping workspace {Workspace}: home holds {Size} bytes, over the limit of {Limit}", w.Id, size, limit);
    }

    static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
