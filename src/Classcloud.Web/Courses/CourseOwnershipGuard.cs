using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Courses;

/// <summary>An educator who still owns courses cannot delete the account: the courses are named so they can be deleted first.</summary>
internal sealed class CourseOwnershipGuard(ClasscloudDb db, IStringLocalizer<SharedResource> t) : IAccountDeletionGuard
{
    public async Task<string?> BlockingReasonAsync(User user, CancellationToken ct)
    {
        var names = await db.Courses.Where(c => c.OwnerId == user.Id).OrderBy(c => c.Name).Select(c => c.Name).Take(11).ToListAsync(ct);
        if (names.Count == 0)
        {
            return null;
        }
        var list = string.Join(", ", names.Take(10).Select(n => $"\"{n}\"")) + (names.Count > 10 ? ", …" : "");
        return t["This account still owns these courses: {0}. Delete them first.", list];
    }
}
