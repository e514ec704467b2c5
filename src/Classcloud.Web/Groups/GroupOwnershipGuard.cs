using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Groups;

/// <summary>The only owner of a group must hand it over or delete it before the account goes, so no group is left without an owner.</summary>
internal sealed class GroupOwnershipGuard(ClasscloudDb db, IStringLocalizer<SharedResource> t) : IAccountDeletionGuard
{
    public async Task<string?> BlockingReasonAsync(User user, CancellationToken ct)
    {
        var names = await (from m in db.GroupMembers
                           join g in db.Groups on m.GroupId equals g.Id
                           where m.UserId == user.Id && m.Role == GroupRole.Owner
                               && !db.GroupMembers.Any(o => o.GroupId == g.Id && o.Role == GroupRole.Owner && o.UserId != user.Id)
                           orderby g.Name
                           select g.Name).Take(11).ToListAsync(ct);
        if (names.Count == 0)
        {
            return null;
        }
        var list = string.Join(", ", names.Take(10).Select(n => $"\"{n}\"")) + (names.Count > 10 ? ", …" : "");
        return t["This account is the only owner of these groups: {0}. Make someone else owner or delete them first.", list];
    }
}
