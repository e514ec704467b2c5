using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Home;

/// <summary>An assignment on the signed-in home: its due time for this reader (an extension moves it) and whether they handed it in.</summary>
public sealed record DueItem(long Id, string Title, long CourseId, string CourseName, DateTime DueAt, bool Submitted, bool Teaching);

/// <summary>A course on the signed-in home: a member's, or an application still waiting for the educator.</summary>
public sealed record HomeCourse(long Id, string Name, string MyStatus);

/// <summary>Everything the signed-in home shows, gathered in one place so the page stays markup.</summary>
public sealed record HomeView(
    IReadOnlyList<WorkspaceDto> Workspaces, IReadOnlyList<HomeCourse> Courses, IReadOnlyList<DueItem> Due, NotificationPage News);

/// <summary>
/// The signed-in home (issue 17): my workspaces with one-click actions, my courses and pending applications,
/// what is due in the next weeks, unread news. Each list is short: the home links to the full page.
/// </summary>
public sealed class HomeService(ClasscloudDb db, WorkspaceReader workspaces, NotificationService notifications, TimeProvider time)
{
    public const int Shown = 6;

    /// <summary>How far ahead "what is due" looks; later deadlines wait on the course's assignment page.</summary>
    public static readonly TimeSpan DueWindow = TimeSpan.FromDays(30);

    public async Task<HomeView> LoadAsync(Caller caller, CancellationToken ct)
    {
        var mine = await workspaces.ListAsync("mine", caller, ct);
        // Running ones first: what the reader most likely opens the home for.
        var list = (mine.Value ?? []).OrderBy(w => w.Actions.Contains("connect") ? 0 : 1).ThenByDescending(w => w.UpdatedAt).Take(Shown).ToList();
        var news = await notifications.ListAsync(caller, 1, unreadOnly: true, ct);
        return new HomeView(list, await CoursesAsync(caller, ct), await DueAsync(caller, ct),
            news with { Items = [.. news.Items.Take(Shown)] });
    }

    async Task<IReadOnlyList<HomeCourse>> CoursesAsync(Caller caller, CancellationToken ct)
    {
        var me = caller.UserId;
        var teaching = await db.Courses.Where(c => c.OwnerId == me || db.CoEducators.Any(x => x.CourseId == c.Id && x.UserId == me))
            .OrderByDescending(c => c.Id).Take(Shown).Select(c => new HomeCourse(c.Id, c.Name, "teaching")).ToListAsync(ct);
        var taking = await db.Enrolments.Where(e => e.UserId == me && (e.Status == EnrolmentStatus.Accepted || e.Status == EnrolmentStatus.Pending))
            .Join(db.Courses, e => e.CourseId, c => c.Id, (e, c) => new { c.Id, c.Name, e.Status })
            .OrderByDescending(x => x.Id).Take(Shown).ToListAsync(ct);
        return [.. teaching, .. taking.Select(x => new HomeCourse(x.Id, x.Name, x.Status == EnrolmentStatus.Pending ? "pending" : "accepted"))];
    }

    /// <summary>
    /// Open assignments due within <see cref="DueWindow"/>: for a student of the course, with their own due time and
    /// whether a submission exists; for its educators, the course's coming deadlines.
    /// </summary>
    async Task<IReadOnlyList<DueItem>> DueAsync(Caller caller, CancellationToken ct)
    {
        var me = caller.UserId;
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + DueWindow;
        var taking = db.Enrolments.Where(e => e.UserId == me && e.Status == EnrolmentStatus.Accepted).Select(e => e.CourseId);
        var teaching = db.Courses.Where(c => c.OwnerId == me).Select(c => c.Id).Concat(db.CoEducators.Where(x => x.UserId == me).Select(x => x.CourseId));
        var rows = await db.Assignments.Where(a => a.OpensAt <= now && (taking.Contains(a.CourseId) || teaching.Contains(a.CourseId)))
            .Join(db.Courses, a => a.CourseId, c => c.Id, (a, c) => new
            {
                a.Id,
                a.Title,
                a.CourseId,
                Course = c.Name,
                Due = db.AssignmentExtensions.Where(x => x.AssignmentId == a.Id && x.UserId == me).Select(x => (DateTime?)x.DueAt).FirstOrDefault() ?? a.DueAt,
                Submitted = db.Submissions.Any(s => s.AssignmentId == a.Id && s.UserId == me),
                Teaching = teaching.Contains(a.CourseId),
            })
            .Where(x => x.Due > now && x.Due <= until)
            .OrderBy(x => x.Due).Take(Shown).ToListAsync(ct);
        return [.. rows.Select(x => new DueItem(x.Id, x.Title, x.CourseId, x.Course, x.Due, x.Submitted, x.Teaching))];
    }
}
