using Classcloud.Web.Admin.Quotas;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// The state changes people ask for: start, stop, save, delete. A change is claimed with a conditional UPDATE
/// (so two clicks never start two jobs) and handed on (<see cref="WorkspaceHandOff"/>); the caller gets 202
/// and watches the state. Which action is allowed in which state is <see cref="WorkspaceLifecycle"/>'s table.
/// </summary>
public sealed class WorkspaceActions(ClasscloudDb db, WorkspaceReader reader, ResourceQuotas quotas, WorkspaceHandOff handOff, AuditLog audit, TimeProvider time)
{
    /// <summary>Moves the workspace to the action's target state and hands the job on; 409 in a state that does not allow it.</summary>
    public async Task<Problem?> ActAsync(long id, Caller caller, WorkspaceJobKind action, long? snapshotId, CancellationToken ct)
    {
        var opened = await reader.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (!access.CanOperate)
        {
            return WorkspaceProblems.NotOwner;
        }
        var w = access.Workspace;
        var word = WorkspaceLifecycle.Word(WorkspaceLifecycle.Action(action));
        if (!WorkspaceLifecycle.Allows(w, WorkspaceLifecycle.Action(action)))
        {
            return WorkspaceProblems.WrongState(w, word);
        }
        if (action == WorkspaceJobKind.Stop && WorkspaceLifecycle.IsQueued(w) && w.QueuedAt is { } queuedAt)
        {
            return await LeaveQueueAsync(access, queuedAt, ct);
        }
        // A start is checked and written under the owner's quota hold, so simultaneous starts cannot all pass the check.
        await using var hold = action == WorkspaceJobKind.Start ? await quotas.HoldAsync(w.OwnerId, ct) : null;
        if (action == WorkspaceJobKind.Start && hold is null)
        {
            return WorkspaceProblems.Busy;
        }
        if (action == WorkspaceJobKind.Start && await quotas.CheckWorkspaceAsync(w.OwnerId, w.Id, ct) is { } overQuota)
        {
            return overQuota;
        }
        var to = WorkspaceLifecycle.Of(WorkspaceLifecycle.Action(action)).To!.Value;
        WorkspaceSnapshot? snapshot = null;
        if (snapshotId is { } sid)
        {
            snapshot = await db.WorkspaceSnapshots.SingleOrDefaultAsync(s => s.Id == sid && (s.WorkspaceId == w.Id || s.Id == w.SnapshotId), ct);
            if (snapshot is null)
            {
                return Problem.BadRequest("No such snapshot of this workspace.");
            }
        }
        if (!handOff.HasRoom)
        {
            return WorkspaceProblems.Busy;
        }
        var state = w.State;
        var deleting = action == WorkspaceJobKind.Delete;
        var reason = deleting ? WorkspaceReason.Of(WorkspaceReason.Deleting) : null;
        // A start waits in the capacity queue (WorkspaceAdmission queues its job when it is admitted);
        // the image it starts from is decided now, so the queue needs nothing but the row.
        var now = time.GetUtcNow().UtcDateTime;
        var starting = action == WorkspaceJobKind.Start;
        var holder = handOff.Holder;
        var (image, fromSnapshot) = snapshot is null ? (w.Image, w.SnapshotId) : (snapshot.Image, (long?)snapshot.Id);
        var claimed = await db.Workspaces.Where(x => x.Id == w.Id && x.State == state && x.Deleting == w.Deleting)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, to).SetProperty(x => x.Reason, reason)
                .SetProperty(x => x.Deleting, x => x.Deleting || deleting).SetProperty(x => x.UpdatedAt, now)
                .SetProperty(x => x.QueuedAt, starting ? now : null).SetProperty(x => x.JobHolder, holder)
                .SetProperty(x => x.Image, image).SetProperty(x => x.SnapshotId, fromSnapshot), ct);
        if (claimed == 0)
        {
            await db.Entry(w).ReloadAsync(ct);
            return WorkspaceProblems.WrongState(w, word);
        }
        // The row is claimed: the job goes now, and the audit entry is written while it runs (a start waits on neither).
        handOff.Send(w.Id, action);
        audit.Record($"workspace.{word}", $"workspace:{w.Id}", access.IsOwner ? null : $"by {WorkspaceWords.Of(access.Relation)}");
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Stop on a start still waiting for capacity: it leaves the queue and is stopped again.</summary>
    async Task<Problem?> LeaveQueueAsync(WorkspaceAccess access, DateTime queuedAt, CancellationToken ct)
    {
        var w = access.Workspace;
        var left = await db.Workspaces.Where(x => x.Id == w.Id && x.State == WorkspaceState.Starting && x.QueuedAt == queuedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, WorkspaceState.Stopped).SetProperty(x => x.QueuedAt, (DateTime?)null)
                .SetProperty(x => x.UpdatedAt, time.GetUtcNow().UtcDateTime), ct);
        if (left == 0)
        {
            await db.Entry(w).ReloadAsync(ct);
            return WorkspaceProblems.WrongState(w, "stop");
        }
        audit.Record("workspace.stop", $"workspace:{w.Id}", access.IsOwner ? "left the queue" : $"left the queue, by {WorkspaceWords.Of(access.Relation)}");
        await db.SaveChangesAsync(ct);
        return null;
    }
}
