using Classcloud.Web.Admin.Quotas;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Workspaces;

/// <summary>Whether a person may have one more workspace now: the per-user count, the resource quota and room in the job queue.</summary>
public sealed class WorkspaceAllowance(ClasscloudDb db, SettingsService settings, ResourceQuotas quotas, WorkspaceQueue queue)
{
    /// <summary>The owner's quota hold (<see cref="ResourceQuotas.HoldAsync"/>): take it before <see cref="CheckAsync"/>, keep it until the row is written.</summary>
    public Task<IAsyncDisposable?> HoldAsync(long ownerId, CancellationToken ct) => quotas.HoldAsync(ownerId, ct);

    /// <summary>
    /// A refusal, or whether the new workspace may run at once. Over the quota a workspace that is to
    /// <paramref name="start"/> is refused; one that is not is still made, stopped (so not from the warm pool, whose containers run).
    /// </summary>
    public async Task<Outcome<bool>> CheckAsync(Caller caller, bool start, CancellationToken ct)
    {
        var limit = (await settings.GetAsync(ct)).MaxWorkspacesPerUser;
        if (!caller.IsAdmin && await db.Workspaces.CountAsync(w => w.OwnerId == caller.UserId, ct) >= limit)
        {
            return Problem.Conflict("You already have {0} workspaces, the most allowed; delete one to make another.", limit);
        }
        var mayRun = true;
        if (await quotas.CheckWorkspaceAsync(caller.UserId, 0, ct) is { } overQuota)
        {
            if (start)
            {
                return overQuota;
            }
            mayRun = false;
        }
        return queue.HasRoom ? mayRun : WorkspaceProblems.Busy;
    }
}
