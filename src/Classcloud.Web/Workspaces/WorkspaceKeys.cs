using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Share keys (seed 000 §3.3.6 export/load): a random token shown once and stored as its SHA-256
/// hash, pointing at one immutable snapshot. The token says nothing about the image. Loading one is
/// <see cref="WorkspaceLoading"/>.
/// </summary>
public sealed class WorkspaceKeys(
    ClasscloudDb db, WorkspaceReader workspaces, SnapshotCollector collector, AuditLog audit, TimeProvider time)
{
    public const string Prefix = "cck_";
    public const int MaxExpiryDays = 3650;

    public async Task<Outcome<ExportedKeyDto>> ExportAsync(long id, Caller caller, ExportRequest request, CancellationToken ct)
    {
        var opened = await workspaces.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (!access.CanManage)
        {
            return Problem.Forbidden("Only the owner of this workspace can export it.");
        }
        if (!WorkspaceLifecycle.Allows(access.Workspace, WorkspaceAction.Export))
        {
            return WorkspaceProblems.WrongState(access.Workspace, "export");
        }
        if (request.ExpiresInDays is < 1 or > MaxExpiryDays)
        {
            return Problem.BadRequest("A key expires after 1 to {0} days, or never.", MaxExpiryDays);
        }
        var snapshots = db.WorkspaceSnapshots.Where(s => s.WorkspaceId == id);
        var snapshot = request.SnapshotId is { } sid
            ? await snapshots.SingleOrDefaultAsync(s => s.Id == sid, ct)
            : await snapshots.OrderByDescending(s => s.Number).FirstOrDefaultAsync(ct);
        if (snapshot is null)
        {
            return request.SnapshotId is null
                ? Problem.Conflict("Save the workspace first: a key shares a saved snapshot.")
                : Problem.BadRequest("No such snapshot of this workspace.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var token = SecretTokens.Create(Prefix);
        var key = new WorkspaceKey
        {
            SnapshotId = snapshot.Id,
            CreatedById = caller.UserId,
            KeyHash = SecretTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.WorkspaceKeys.Add(key);
        await db.SaveChangesAsync(ct);
        audit.Record("workspace.export", $"workspace:{id}", $"key {key.Id} for snapshot {snapshot.Number}");
        await db.SaveChangesAsync(ct);
        return new ExportedKeyDto(key.Id, token, snapshot.Id, key.ExpiresAt);
    }

    public async Task<Outcome<IReadOnlyList<KeyDto>>> ListAsync(long id, Caller caller, CancellationToken ct)
    {
        var opened = await workspaces.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        if (!opened.Value!.CanOperate)
        {
            return WorkspaceProblems.NotOwner;
        }
        return await db.WorkspaceKeys.Join(db.WorkspaceSnapshots.Where(s => s.WorkspaceId == id), k => k.SnapshotId, s => s.Id, (k, s) => new { k, s.Number })
            .OrderBy(x => x.k.Id)
            .Select(x => new KeyDto(x.k.Id, x.k.SnapshotId, x.Number, x.k.CreatedAt, x.k.ExpiresAt, x.k.RevokedAt))
            .ToListAsync(ct);
    }

    /// <summary>Revokes a key (its creator or an administrator); a snapshot nothing uses any more is then removed.</summary>
    public async Task<Problem?> RevokeAsync(long keyId, Caller caller, CancellationToken ct)
    {
        var key = await db.WorkspaceKeys.SingleOrDefaultAsync(k => k.Id == keyId, ct);
        if (key is null || (key.CreatedById != caller.UserId && !caller.IsAdmin))
        {
            return Problem.NotFound("No such key.");
        }
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow().UtcDateTime;
            audit.Record("workspace.key.revoke", $"workspace-key:{key.Id}");
            await db.SaveChangesAsync(ct);
        }
        await collector.CollectAsync([key.SnapshotId], ct);
        return null;
    }
}
