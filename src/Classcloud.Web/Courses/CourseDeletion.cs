using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Courses;

/// <summary>Deleting a course and everything that hangs on it (seed 000 CLASS07).</summary>
public sealed class CourseDeletion(
    ClasscloudDb db, CourseGate gate, Notifier notifier, AttachmentStore files, IEnumerable<ICourseDeletionListener> listeners, AuditLog audit)
{
    /// <summary>
    /// Deletes the course with its posts, comments and attachments; members are notified and linked
    /// workspaces are unlinked, not deleted (seed 000 fig. 93–95). Only the owner or an administrator.
    /// </summary>
    public async Task<Problem?> DeleteAsync(Caller caller, long id, CancellationToken ct)
    {
        var opened = await gate.OpenAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem;
        }
        var access = opened.Value!;
        if (!access.IsOwner && !caller.IsAdmin)
        {
            return gate.NotOwner;
        }
        var course = access.Course;
        var keys = await db.Attachments.Where(a => db.Posts.Any(p => p.Id == a.PostId && p.CourseId == id))
            .Select(a => a.StorageKey).ToListAsync(ct);
        var people = await CourseMembers.IdsAsync(db, id, ct);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var listener in listeners)
            {
                await listener.CourseDeletingAsync(id, ct);
            }
            await notifier.ToManyAsync(people.Where(p => p != caller.UserId), NotificationKind.CourseDeleted, course, ct,
                actor: await notifier.ActorAsync(caller.UserId, ct));
            audit.Record(CourseAudit.Delete, $"course {id}", course.Name);
            await db.SaveChangesAsync(ct);
            // Notifications about the course's posts go first, so the cascade from the course meets one path only.
            await db.Notifications.Where(n => n.CourseId == id && n.PostId != null).ExecuteDeleteAsync(ct);
            await db.Notifications.Where(n => n.CourseId == id).ExecuteUpdateAsync(s => s.SetProperty(n => n.CourseId, (long?)null), ct);
            await db.Courses.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }
        files.DeleteAll(keys);
        return null;
    }
}
