using Classcloud.Platform;
using Classcloud.Platform.Registry;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Removes snapshots nothing needs any more: no workspace of their own (it was deleted), no
/// workspace running from them, no live (unrevoked, unexpired) key, and not published as a course environment. Registry first, then the
/// local image, then the row, so a failure leaves the row to try again.
/// </summary>
public sealed class SnapshotCollector(ClasscloudDb db, IServiceProvider services, IContainerPlatform platform, TimeProvider time, ILogger<SnapshotCollector> log)
{
    public async Task CollectAsync(IReadOnlyCollection<long> snapshotIds, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var id in snapshotIds.Distinct())
        {
            var snapshot = await db.WorkspaceSnapshots.SingleOrDefaultAsync(s => s.Id == id, ct);
            if (snapshot is null || await IsUsedAsync(snapshot, now, ct))
            {
                continue;
            }
            await RemoveAsync(snapshot, ct);
        }
    }

    public async Task<bool> IsUsedAsync(WorkspaceSnapshot snapshot, DateTime now, CancellationToken ct) =>
        (snapshot.WorkspaceId is { } owner && await db.Workspaces.AnyAsync(w => w.Id == owner && !w.Deleting, ct))
        || await db.Workspaces.AnyAsync(w => w.SnapshotId == snapshot.Id && !w.Deleting, ct)
        || await db.WorkspaceKeys.AnyAsync(k => k.SnapshotId == snapshot.Id && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now), ct)
        || await db.CourseEnvironments.AnyAsync(e => e.SnapshotId == snapshot.Id, ct);

    public async Task RemoveAsync(WorkspaceSnapshot snapshot, CancellationToken ct)
    {
        // The platform's registry client (with its credentials); without the platform nothing was pushed from here.
        var registry = services.GetService<RegistryClient>()
            ?? throw new PlatformUnavailableException("The container platform is not enabled on this host (Classcloud:Platform:Enabled).");
        await registry.DeleteAsync(snapshot.Image, ct);
        // Only an engine that builds and pushes holds a local copy; an orchestrator's nodes collect their own.
        if (platform.Features.Commit)
        {
            try
            {
                await platform.RemoveImageAsync(snapshot.Image, force: false, ct);
            }
            catch (PlatformConflictException ex)
            {
                // Still used by a container of a workspace being deleted; the registry copy is gone and
                // the engine frees the layers with the container.
                log.LogInformation(ex, "Local image {Image} still in use", snapshot.Image);
            }
        }
        db.WorkspaceSnapshots.Remove(snapshot);
        await db.SaveChangesAsync(ct);
        log.LogInformation("Removed snapshot {Snapshot} ({Image})", snapshot.Id, snapshot.Image);
    }
}
