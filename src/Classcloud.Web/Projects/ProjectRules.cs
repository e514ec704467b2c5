using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Groups;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Projects;

/// <summary>
/// Who may manage a project and who may open its app, stated once. Managing: the owner, the group's
/// managers, the course's educators, administrators. Opening follows <see cref="Project.Access"/>.
/// </summary>
public sealed class ProjectRules(ClasscloudDb db)
{
    public async Task<bool> CanManageAsync(Project p, Caller caller, CancellationToken ct) =>
        caller.IsAdmin || p.OwnerId == caller.UserId
        || (p.GroupId is { } g && await db.GroupMembers.AnyAsync(m => m.GroupId == g && m.UserId == caller.UserId
            && (m.Role == GroupRole.Manager || m.Role == GroupRole.Owner), ct))
        || (p.CourseId is { } c && await TeachesAsync(c, caller.UserId, ct));

    /// <summary>Whether <paramref name="userId"/> (null: anonymous) may open the app.</summary>
    public async Task<bool> MayOpenAsync(Project p, long? userId, bool isAdmin, CancellationToken ct)
    {
        if (p.Access == ProjectAccess.Public)
        {
            return true;
        }
        if (userId is not { } id)
        {
            return false;
        }
        if (await CanManageAsync(p, new Caller(id, isAdmin), ct))
        {
            return true;
        }
        return p.Access switch
        {
            ProjectAccess.SignedIn => true,
            ProjectAccess.Group => p.GroupId is { } g && await db.GroupMembers.AnyAsync(m => m.GroupId == g && m.UserId == id, ct),
            ProjectAccess.Course => p.CourseId is { } c && (await TeachesAsync(c, id, ct)
                || await db.Enrolments.AnyAsync(e => e.CourseId == c && e.UserId == id && e.Status == EnrolmentStatus.Accepted, ct)),
            _ => false,
        };
    }

    async Task<bool> TeachesAsync(long courseId, long userId, CancellationToken ct) =>
        await db.Courses.AnyAsync(c => c.Id == courseId && c.OwnerId == userId, ct)
        || await db.CoEducators.AnyAsync(e => e.CourseId == courseId && e.UserId == userId, ct);
}
