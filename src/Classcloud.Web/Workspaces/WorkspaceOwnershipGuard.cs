using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Workspaces;

/// <summary>An account with workspaces is deleted only after them: their containers, volumes and snapshots must go first.</summary>
public sealed class WorkspaceOwnershipGuard(ClasscloudDb db, IStringLocalizer<SharedResource> t) : IAccountDeletionGuard
{
    public async Task<string?> BlockingReasonAsync(User user, CancellationToken ct)
    {
        var count = await db.Workspaces.CountAsync(w => w.OwnerId == user.Id, ct);
        return count == 0 ? null : t["Delete your {0} workspaces first.", count].Value;
    }
}
