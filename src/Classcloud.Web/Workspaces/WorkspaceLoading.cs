using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces;

/// <summary>Loading a share key (seed 000 §3.3.6): a new workspace of the caller's from the key's snapshot, made stopped.</summary>
public sealed class WorkspaceLoading(ClasscloudDb db, WorkspaceRequestRules requests, WorkspaceAdder adder, AuditLog audit, TimeProvider time)
{
    /// <summary>A new workspace for the caller from the key's snapshot; a wrong, revoked or expired key says which.</summary>
    public async Task<Outcome<CreatedWorkspaceDto>> LoadAsync(Caller caller, LoadRequest request, CancellationToken ct)
    {
        var problem = await requests.CheckAsync(caller, request.Name, request.Description, request.Visibility, request.GuestAccess, request.CourseId, ct);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(request.Key) || request.Key.Length > 200)
        {
            return Problem.BadRequest("Enter the key you were given.");
        }
        var hash = SecretTokens.Hash(request.Key.Trim());
        var key = await db.WorkspaceKeys.SingleOrDefaultAsync(k => k.KeyHash == hash, ct);
        if (key is null)
        {
            return Problem.BadRequest("This key is not valid. Check that it was copied completely.");
        }
        if (key.RevokedAt is not null)
        {
            return Problem.BadRequest("This key was revoked by its owner and can no longer be used.");
        }
        if (key.ExpiresAt is { } expires && expires <= time.GetUtcNow().UtcDateTime)
        {
            return Problem.BadRequest("This key has expired and can no longer be used.");
        }
        var snapshot = await db.WorkspaceSnapshots.SingleAsync(s => s.Id == key.SnapshotId, ct);
        var created = await adder.AddAsync(caller, request.Name!, request.Description, snapshot.Kind, request.Visibility, request.GuestAccess,
            request.CourseId, snapshot.Image, snapshot.Id, warmPool: null, start: false, ct);
        if (created.Succeeded)
        {
            audit.Record("workspace.load", $"workspace:{created.Value!.Id}", $"key {key.Id}, snapshot {snapshot.Id}");
            await db.SaveChangesAsync(ct);
        }
        return created;
    }
}
