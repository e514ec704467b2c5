using Classcloud.Platform;
using Classcloud.Web.Data;
using Classcloud.Web.Orchestration;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces;

/// <summary>Removes unclaimed warm-pool entries: stale ones on a refill, and one when a start waits for its capacity.</summary>
public sealed class WarmPoolRemoval(ClasscloudDb db, IContainerPlatform platform, WorkloadConductor conductor, ILogger<WarmPoolRemoval> log)
{
    /// <summary>Removes one unclaimed entry (the newest) so a waiting start gets its capacity; false when there is none.</summary>
    public async Task<bool> EvictOneAsync(CancellationToken ct)
    {
        if (WarmPool.Usable(platform) is not { } usable || await db.WarmPoolEntries.AsNoTracking().Where(e => e.WorkspaceId == null)
            .OrderByDescending(e => e.CreatedAt).FirstOrDefaultAsync(ct) is not { } entry)
        {
            return false;
        }
        return await RemoveAsync(usable, entry, "a start waits for capacity", ct);
    }

    /// <summary>Rows first (a conditional delete: a claimed entry is never removed), then container and volume.</summary>
    public async Task<bool> RemoveAsync(IContainerPlatform platform, WarmPoolEntry entry, string why, CancellationToken ct)
    {
        if (await db.WarmPoolEntries.Where(e => e.Id == entry.Id && e.WorkspaceId == null).ExecuteDeleteAsync(ct) == 0)
        {
            return false;
        }
        db.ChangeTracker.Clear();
        log.LogInformation("Warm pool {Pool}: removing {Entry}, {Why}", entry.Pool, entry.Id, why);
        try
        {
            if (await conductor.DesireAsync(entry.Id, WorkloadStates.Removed, ct) is not null)
            {
                await conductor.ApplyAsync(entry.Id, ct);
            }
            await platform.RemoveVolumeAsync(entry.VolumeName, ct);
        }
        catch (PlatformException ex)
        {
            // The container is an orphan now (no row): the reconciler removes it; the volume stays until then.
            log.LogWarning(ex, "Warm pool: removing {Entry} from the engine failed", entry.Id);
        }
        return true;
    }
}
