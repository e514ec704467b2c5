using Classcloud.Web.Admin;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Rollover;

/// <summary>Stop the course's running workspaces too; <see cref="Workspaces"/> must repeat the count the educator was shown.</summary>
public sealed record ArchiveRequest(bool StopWorkspaces = false, int? Workspaces = null);

/// <summary>
/// Archiving a course at term end (issue 16, Moodle's read-only past courses): nothing new is written into it —
/// posts, comments, attachments, applications and submissions are refused — while everything stays readable.
/// Its running workspaces can be stopped in the same step; the educator confirms how many, so a stale page
/// never stops more than it showed.
/// </summary>
public sealed class CourseArchiveService(
    ClasscloudDb db, CourseGate gate, CourseService courses, WorkspaceQueue queue, AuditLog audit, TimeProvider time)
{
    public const string ArchiveAction = "course.archive";
    public const string ReopenAction = "course.reopen";

    /// <summary>Workspaces linked to the course that an archive with <see cref="ArchiveRequest.StopWorkspaces"/> would stop.</summary>
    public Task<int> RunningWorkspacesAsync(long courseId, CancellationToken ct) => Running(courseId).CountAsync(ct);

    public async Task<Outcome<CourseDto>> ArchiveAsync(Caller caller, long id, ArchiveRequest request, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var course = opened.Value!.Course;
        var stopping = new List<long>();
        if (request.StopWorkspaces)
        {
            stopping = await Running(id).Select(w => w.Id).ToListAsync(ct);
            if (request.Workspaces != stopping.Count)
            {
                return Problem.Conflict("{0} workspaces of this course are running now; confirm that number to stop them.", stopping.Count);
            }
        }
        var now = time.GetUtcNow().UtcDateTime;
        course.ArchivedAt ??= now;
        course.UpdatedAt = now;
        audit.Record(ArchiveAction, $"course {id}", request.StopWorkspaces ? $"stopping {stopping.Count} workspaces" : null);
        await db.SaveChangesAsync(ct);
        await StopAsync(stopping, now, ct);
        return (await courses.GetAsync(caller, id, ct)).Value!;
    }

    /// <summary>Undoes an archive (a mistake, or a term extended): the course takes new posts and members again.</summary>
    public async Task<Outcome<CourseDto>> ReopenAsync(Caller caller, long id, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var course = opened.Value!.Course;
        if (course.ArchivedAt is not null)
        {
            course.ArchivedAt = null;
            course.UpdatedAt = time.GetUtcNow().UtcDateTime;
            audit.Record(ReopenAction, $"course {id}");
            await db.SaveChangesAsync(ct);
        }
        return (await courses.GetAsync(caller, id, ct)).Value!;
    }

    IQueryable<Workspace> Running(long courseId) =>
        db.Workspaces.Where(w => w.CourseId == courseId && !w.Deleting
            && (w.State == WorkspaceState.Running || w.State == WorkspaceState.Suspended || w.State == WorkspaceState.Restarting));

    /// <summary>
    /// The same transition as an owner's stop (WorkspaceLifecycle): claim the state, then queue the job for the worker.
    /// A full queue ends the loop: the rest keep running and the page shows them, rather than sit in "stopping" unqueued.
    /// </summary>
    async Task StopAsync(List<long> ids, DateTime now, CancellationToken ct)
    {
        foreach (var id in ids)
        {
            if (!queue.HasRoom)
            {
                break;
            }
            var claimed = await db.Workspaces
                .Where(w => w.Id == id && !w.Deleting
                    && (w.State == WorkspaceState.Running || w.State == WorkspaceState.Suspended || w.State == WorkspaceState.Restarting))
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.State, WorkspaceState.Stopping).SetProperty(w => w.Reason, (string?)null)
                    .SetProperty(w => w.UpdatedAt, now), ct);
            if (claimed == 1)
            {
                audit.Record("workspace.stop", $"workspace:{id}", "course archived");
                queue.TryEnqueue(new WorkspaceJob(id, WorkspaceJobKind.Stop));
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
