using Microsoft.Extensions.Options;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Where a workspace goes once a use case has claimed its row: a running container from the warm pool, the job
/// queue (create, stop, save, delete) or the capacity queue (a start waits there until admitted).
/// </summary>
public sealed class WorkspaceHandOff(WorkspaceQueue queue, WorkspaceAdmission admission, WarmPoolClaim pool, IOptions<WorkspacesOptions> options, TimeProvider time)
{
    /// <summary>A terminal this request took from the warm pool: its create job (the move to the owner's network) waits a moment.</summary>
    long? settling;

    /// <summary>The job holder a claimed row is stamped with (recovery knows whose job it was).</summary>
    public string Holder => queue.Holder;

    public bool HasRoom => queue.HasRoom;

    /// <summary>Tries to give the new workspace a running container of <paramref name="warmPool"/>; then its create job only finishes the hand-over.</summary>
    public async Task<bool> FromWarmPoolAsync(Workspace workspace, string warmPool, CancellationToken ct)
    {
        var claimed = await pool.TryClaimAsync(workspace, warmPool, ct);
        if (claimed && workspace.Kind == WorkspaceKind.Terminal)
        {
            settling = workspace.Id;
        }
        return claimed;
    }

    /// <summary>A start joins the capacity queue (already marked on the row); every other job goes to the worker.</summary>
    public void Send(long workspaceId, WorkspaceJobKind action)
    {
        if (action == WorkspaceJobKind.Start)
        {
            admission.Wake();
        }
        else if (action == WorkspaceJobKind.Create && settling == workspaceId && options.Value.WarmPool.SettleTime > TimeSpan.Zero)
        {
            // Its owner is connecting now, and joining a network holds the container's lock (an exec waits for it): the
            // move goes after <see cref="WarmPoolOptions.SettleTime"/>, off the worker (no slot held meanwhile). Should this
            // process end first, recovery finishes the hand-over as it finishes any interrupted one.
            settling = null;
            var job = new WorkspaceJob(workspaceId, action);
            _ = Task.Delay(options.Value.WarmPool.SettleTime, time).ContinueWith(_ => queue.TryEnqueue(job), TaskScheduler.Default);
        }
        else
        {
            queue.TryEnqueue(new WorkspaceJob(workspaceId, action));
        }
    }
}
