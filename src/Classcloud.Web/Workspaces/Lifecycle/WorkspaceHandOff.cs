namespace Classcloud.Web.Workspaces;

/// <summary>
/// Where a workspace goes once a use case has claimed its row: a running container from the warm pool, the job
/// queue (create, stop, save, delete) or the capacity queue (a start waits there until admitted).
/// </summary>
public sealed class WorkspaceHandOff(WorkspaceQueue queue, WorkspaceAdmission admission, WarmPoolClaim pool)
{
    /// <summary>The job holder a claimed row is stamped with (recovery knows whose job it was).</summary>
    public string Holder => queue.Holder;

    public bool HasRoom => queue.HasRoom;

    /// <summary>Tries to give the new workspace a running container of <paramref name="warmPool"/>; then its create job only finishes the hand-over.</summary>
    public Task<bool> FromWarmPoolAsync(Workspace workspace, string warmPool, CancellationToken ct) => pool.TryClaimAsync(workspace, warmPool, ct);

    /// <summary>A start joins the capacity queue (already marked on the row); every other job goes to the worker.</summary>
    public void Send(long workspaceId, WorkspaceJobKind action)
    {
        if (action == WorkspaceJobKind.Start)
        {
            admission.Wake();
        }
        else
        {
            queue.TryEnqueue(new WorkspaceJob(workspaceId, action));
        }
    }
}
