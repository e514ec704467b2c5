using Classcloud.Web.Data;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>"My news" and the bell: the caller's notifications as sentences with a link.</summary>
public sealed class NotificationService(ClasscloudDb db, IStringLocalizer<SharedResource> t, TimeProvider time)
{
    public const int PageSize = 20;

    public async Task<NotificationPage> ListAsync(Caller caller, int? page, bool unreadOnly, CancellationToken ct)
    {
        var q = Visible(caller);
        if (unreadOnly)
        {
            q = q.Where(n => n.ReadAt == null);
        }
        var total = await q.CountAsync(ct);
        var pages = total == 0 ? 1 : (total + PageSize - 1) / PageSize;
        var number = Math.Clamp(page ?? 1, 1, pages);
        var rows = await q.OrderByDescending(n => n.Id).Skip((number - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        var unread = unreadOnly ? total : await UnreadCountAsync(caller, ct);
        return new NotificationPage(rows.Select(Describe).ToList(), number, pages, unread);
    }

    public Task<int> UnreadCountAsync(Caller caller, CancellationToken ct) => Visible(caller).CountAsync(n => n.ReadAt == null, ct);

    /// <summary>Marks the given notifications (or all, when none are given) as read.</summary>
    public async Task<int> MarkReadAsync(Caller caller, IReadOnlyCollection<long>? ids, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var q = db.Notifications.Where(n => n.UserId == caller.UserId && n.ReadAt == null);
        if (ids is { Count: > 0 })
        {
            var wanted = ids.Take(1000).ToList();
            q = q.Where(n => wanted.Contains(n.Id));
        }
        return await q.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    /// <summary>
    /// A notification about a post is shown only while the reader may see that post (a post made
    /// educators-only or hidden later, or a course left, takes its notifications out of view).
    /// </summary>
    internal IQueryable<Notification> Visible(Caller caller)
    {
        var me = caller.UserId;
        var q = db.Notifications.AsNoTracking().Where(n => n.UserId == me);
        if (caller.IsAdmin)
        {
            return q;
        }
        return q.Where(n => n.PostId == null || db.Posts.Any(p => p.Id == n.PostId && (
            db.Courses.Any(c => c.Id == p.CourseId && c.OwnerId == me)
            || db.CoEducators.Any(x => x.CourseId == p.CourseId && x.UserId == me)
            || (db.Enrolments.Any(e => e.CourseId == p.CourseId && e.UserId == me && e.Status == EnrolmentStatus.Accepted)
                && !p.Hidden && (p.Visibility == PostVisibility.Everyone || p.AuthorId == me)))));
    }

    internal NotificationDto Describe(Notification n)
    {
        var actor = n.ActorName.Length > 0 ? n.ActorName : t["Someone"].Value;
        var title = n.Title ?? "";
        var text = n.Kind switch
        {
            NotificationKind.ApplicationReceived => t["{0} applied to {1}.", actor, n.Subject],
            NotificationKind.ApplicationAccepted => t["Your application to {0} was accepted.", n.Subject],
            NotificationKind.ApplicationRejected => t["Your application to {0} was declined.", n.Subject],
            NotificationKind.Enrolled => t["You were enrolled in {0}.", n.Subject],
            NotificationKind.NewNotice => t["New notice in {0}: {1}", n.Subject, title],
            NotificationKind.ReplyToPost => t["{0} commented on your post \"{1}\".", actor, title],
            NotificationKind.ReplyToComment => t["{0} replied to your comment on \"{1}\".", actor, title],
            NotificationKind.RemovedFromCourse => t["You were removed from {0}.", n.Subject],
            NotificationKind.CourseDeleted => t["The course {0} was deleted.", n.Subject],
            NotificationKind.GroupInvitation => t["{0} invited you to the group {1}.", actor, n.Subject],
            NotificationKind.WorkspaceCrashed => t["Your workspace {0} crashed; it is being restarted.", n.Subject],
            NotificationKind.WorkspaceOutOfMemory => t["Your workspace {0} ran out of memory; it is being restarted.", n.Subject],
            NotificationKind.WorkspaceDiskWarning => t["Your workspace {0} has used 90 % of its home disk limit; delete files you do not need.", n.Subject],
            NotificationKind.WorkspaceDiskFull => t["Your workspace {0} went over its home disk limit and was stopped; start it and delete files to go on.", n.Subject],
            _ => t["Something happened in {0}.", n.Subject],
        };
        var link = n.Kind switch
        {
            NotificationKind.ReplyToPost or NotificationKind.ReplyToComment when n.PostId is { } post =>
                $"/posts/{post}?comment={n.CommentId}#c{n.CommentId}",
            NotificationKind.NewNotice when n.PostId is { } post => $"/posts/{post}",
            NotificationKind.ApplicationReceived when n.CourseId is { } course => $"/courses/{course}/applications",
            NotificationKind.ApplicationAccepted or NotificationKind.Enrolled when n.CourseId is { } course => $"/courses/{course}",
            NotificationKind.GroupInvitation => "/groups",
            NotificationKind.WorkspaceCrashed or NotificationKind.WorkspaceOutOfMemory or NotificationKind.WorkspaceDiskWarning
                or NotificationKind.WorkspaceDiskFull => "/workspaces",
            _ => "/courses",
        };
        var kind = string.Concat(n.Kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        return new NotificationDto(n.Id, kind, text, link, n.ReadAt is not null, n.CreatedAt);
    }
}
