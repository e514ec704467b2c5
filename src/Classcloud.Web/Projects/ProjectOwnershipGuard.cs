using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Projects;

/// <summary>An account with projects is deleted only after them: their apps and images must go first.</summary>
public sealed class ProjectOwnershipGuard(ClasscloudDb db, IStringLocalizer<SharedResource> t) : IAccountDeletionGuard
{
    public async Task<string?> BlockingReasonAsync(User user, CancellationToken ct)
    {
        var count = await db.Projects.CountAsync(p => p.OwnerId == user.Id, ct);
        return count == 0 ? null : t["Delete your {0} projects first.", count].Value;
    }
}
