using Classcloud.Platform;
using Classcloud.Web.Accounts;
using Classcloud.Web.Orchestration;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Erasing an account removes its workspaces the way a delete does (WorkspaceEngine: the workload desired removed
/// through the conductor, the home volume, snapshots nobody else uses, then the row), and first the share keys the
/// person made, so the snapshots those keys held are collected too. Snapshots others loaded or a course publishes
/// stay: they are someone else's now.
/// </summary>
public sealed class WorkspaceEraser(ClasscloudDb db, IContainerPlatform platform, WorkspaceEngine engine, SnapshotCollector collector) : IAccountEraser
{
    public int Order => 10;

    public async Task EraseAsync(User user, CancellationToken ct)
    {
        var held = await db.WorkspaceKeys.Where(k => k.CreatedById == user.Id).Select(k => k.SnapshotId).ToListAsync(ct);
        await db.WorkspaceKeys.Where(k => k.CreatedById == user.Id).ExecuteDeleteAsync(ct);
        var ids = await db.Workspaces.Where(w => w.OwnerId == user.Id).Select(w => w.Id).ToListAsync(ct);
        if (!platform.Features.Enabled)
        {
            // No engine: nothing was ever created or pushed from here, so the rows are all there is.
            await db.Workloads.Where(w => w.OwnerId == user.Id && w.Kind == WorkspaceNames.WorkloadKind).ExecuteDeleteAsync(ct);
            await db.WorkspaceSnapshots.Where(s => s.WorkspaceId != null && ids.Contains(s.WorkspaceId.Value)).ExecuteDeleteAsync(ct);
            await db.Workspaces.Where(w => w.OwnerId == user.Id).ExecuteDeleteAsync(ct);
            return;
        }
        foreach (var id in ids)
        {
            // Marked first, as a person's delete does, so no other action or the idle watcher picks it up meanwhile.
            await db.Workspaces.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.Deleting, true), ct);
            await engine.RunAsync(new WorkspaceJob(id, WorkspaceJobKind.Delete), ct);
        }
        // Also the person's snapshots that outlived their workspace (held by a key, now revoked with its maker).
        held.AddRange(await db.WorkspaceSnapshots.Where(s => s.OwnerId == user.Id).Select(s => s.Id).ToListAsync(ct));
        await collector.CollectAsync(held, ct);
    }
}

/// <summary>Once workspaces and apps are gone, the person's tenant network goes too (last, as both used it).</summary>
public sealed class TenantNetworkEraser(IContainerPlatform platform, WorkspaceNames names, ILogger<TenantNetworkEraser> log) : IAccountEraser
{
    public int Order => 30;

    public async Task EraseAsync(User user, CancellationToken ct)
    {
        if (!platform.Features.Enabled)
        {
            return;
        }
        try
        {
            await platform.RemoveTenantNetworkAsync(names.Tenant(user.Id), ct);
        }
        catch (PlatformConflictException ex)
        {
            // Something outside Classcloud's records still sits on it; the network holds no personal data.
            log.LogWarning(ex, "Tenant network of user {User} is still in use", user.Id);
        }
    }
}
