using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Workspaces;

/// <summary>How someone other than the owner may be with a workspace.</summary>
public enum Relation
{
    /// <summary>Cannot see it at all.</summary>
    None,

    /// <summary>The workspace is public: any signed-in user joins as a guest.</summary>
    PublicGuest,

    /// <summary>A member of the linked course joining their educator's workspace.</summary>
    CourseMember,

    /// <summary>An educator of the linked course joining a student's workspace (seed 000 §3.4.2.2 item 7).</summary>
    CourseEducator,

    /// <summary>An administrator (seed 000 §3.5.5): sees and acts on all, controls when connected.</summary>
    Admin,

    Owner,
}

/// <summary>The caller's relation to one workspace; every workspace permission is stated here once.</summary>
public sealed record WorkspaceAccess(Workspace Workspace, Caller Caller, Relation Relation)
{
    public bool IsOwner => Relation == Relation.Owner;

    public bool CanSee => Relation != Relation.None;

    /// <summary>Start, stop, save, delete: the owner and administrators.</summary>
    public bool CanOperate => Relation is Relation.Owner or Relation.Admin;

    /// <summary>Edit and export: the owner's decisions (administrators may still stop, save and delete).</summary>
    public bool CanManage => Relation == Relation.Owner;

    /// <summary>Typing and clicking: the owner, administrators, and guests when the workspace allows control.</summary>
    public bool CanControl => Relation is Relation.Owner or Relation.Admin
        || (Relation != Relation.None && Workspace.GuestAccess == GuestAccess.Control);
}

/// <summary>Works out <see cref="WorkspaceAccess"/> from the workspace, its course and the caller.</summary>
public sealed class WorkspaceAccessRules(ClasscloudDb db)
{
    public async Task<WorkspaceAccess> AccessAsync(Workspace workspace, Caller caller, CancellationToken ct)
    {
        if (workspace.OwnerId == caller.UserId)
        {
            return new WorkspaceAccess(workspace, caller, Relation.Owner);
        }
        if (caller.IsAdmin)
        {
            return new WorkspaceAccess(workspace, caller, Relation.Admin);
        }
        if (workspace.CourseId is { } courseId)
        {
            var relation = await CourseRelationAsync(courseId, workspace.OwnerId, caller.UserId, ct);
            if (relation != Relation.None)
            {
                return new WorkspaceAccess(workspace, caller, relation);
            }
        }
        return new WorkspaceAccess(workspace, caller, workspace.Visibility == WorkspaceVisibility.Public ? Relation.PublicGuest : Relation.None);
    }

    /// <summary>Students join their educator's course workspaces; educators join their students'.</summary>
    async Task<Relation> CourseRelationAsync(long courseId, long ownerId, long callerId, CancellationToken ct)
    {
        var course = await db.Courses.AsNoTracking().Where(c => c.Id == courseId).Select(c => new { c.OwnerId }).SingleOrDefaultAsync(ct);
        if (course is null)
        {
            return Relation.None;
        }
        var teachers = await db.CoEducators.Where(c => c.CourseId == courseId && (c.UserId == ownerId || c.UserId == callerId))
            .Select(c => c.UserId).ToListAsync(ct);
        var students = await db.Enrolments.Where(e => e.CourseId == courseId && e.Status == EnrolmentStatus.Accepted
            && (e.UserId == ownerId || e.UserId == callerId)).Select(e => e.UserId).ToListAsync(ct);
        bool Teaches(long user) => course.OwnerId == user || teachers.Contains(user);
        if (Teaches(ownerId) && (Teaches(callerId) || students.Contains(callerId)))
        {
            return Relation.CourseMember;
        }
        return students.Contains(ownerId) && Teaches(callerId) ? Relation.CourseEducator : Relation.None;
    }

    /// <summary>The courses a workspace of this user may be linked to, for the forms.</summary>
    public async Task<IReadOnlyList<(long Id, string Name)>> CoursesOfAsync(long userId, CancellationToken ct)
    {
        var ids = db.Courses.Where(c => c.OwnerId == userId).Select(c => c.Id)
            .Concat(db.CoEducators.Where(c => c.UserId == userId).Select(c => c.CourseId))
            .Concat(db.Enrolments.Where(e => e.UserId == userId && e.Status == EnrolmentStatus.Accepted).Select(e => e.CourseId));
        var rows = await db.Courses.Where(c => ids.Contains(c.Id)).OrderBy(c => c.Name).Select(c => new { c.Id, c.Name }).Take(200).ToListAsync(ct);
        return [.. rows.Select(r => (r.Id, r.Name))];
    }

    /// <summary>The user's snapshots (of workspaces that still exist), for "start from" in the create form.</summary>
    public async Task<IReadOnlyList<(long Id, string Name)>> SnapshotsOfAsync(long userId, CancellationToken ct)
    {
        var rows = await db.WorkspaceSnapshots.Where(s => s.OwnerId == userId && s.WorkspaceId != null)
            .Join(db.Workspaces, s => s.WorkspaceId, w => w.Id, (s, w) => new { s.Id, w.Name, s.Number })
            .OrderBy(x => x.Name).ThenBy(x => x.Number).Take(200).ToListAsync(ct);
        return [.. rows.Select(r => (r.Id, $"{r.Name} #{r.Number}"))];
    }

    /// <summary>Whether the user may link a workspace to the course: they teach it or are an accepted student.</summary>
    public async Task<bool> BelongsToCourseAsync(long courseId, long userId, CancellationToken ct) =>
        await db.Courses.AnyAsync(c => c.Id == courseId && c.OwnerId == userId, ct)
        || await db.CoEducators.AnyAsync(c => c.CourseId == courseId && c.UserId == userId, ct)
        || await db.Enrolments.AnyAsync(e => e.CourseId == courseId && e.UserId == userId && e.Status == EnrolmentStatus.Accepted, ct);
}
