using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Assignments;

/// <summary>An assignment and the caller's relation to its course.</summary>
public sealed record AssignmentAccess(Assignment Assignment, CourseAccess Course);

/// <summary>
/// Loads an assignment or submission with the caller's relation to the course. Outsiders of the course get
/// 403 (like the course's boards); students do not see an assignment before it opens, nor other students'
/// submissions (404, so nothing leaks).
/// </summary>
public sealed class AssignmentGate(ClasscloudDb db, CourseGate courses, TimeProvider clock)
{
    public async Task<Outcome<AssignmentAccess>> OpenAsync(long assignmentId, Caller caller, CancellationToken ct)
    {
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.Id == assignmentId, ct);
        if (assignment is null)
        {
            return NoSuchAssignment;
        }
        var course = await db.Courses.SingleAsync(c => c.Id == assignment.CourseId, ct);
        var access = await courses.AccessAsync(course, caller, ct);
        if (!access.IsMember)
        {
            return courses.NotMember;
        }
        if (!access.IsEducator && assignment.OpensAt > clock.GetUtcNow().UtcDateTime)
        {
            return NoSuchAssignment;
        }
        return new AssignmentAccess(assignment, access);
    }

    public async Task<Outcome<AssignmentAccess>> OpenAsEducatorAsync(long assignmentId, Caller caller, CancellationToken ct)
    {
        var opened = await OpenAsync(assignmentId, caller, ct);
        return !opened.Succeeded || opened.Value!.Course.IsEducator ? opened : courses.NotEducator;
    }

    /// <summary>A submission its owner or the course's educators may read.</summary>
    public async Task<Outcome<(Submission Submission, AssignmentAccess Access)>> OpenSubmissionAsync(long submissionId, Caller caller, CancellationToken ct)
    {
        var submission = await db.Submissions.SingleOrDefaultAsync(s => s.Id == submissionId, ct);
        if (submission is null)
        {
            return NoSuchSubmission;
        }
        var opened = await OpenAsync(submission.AssignmentId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        if (!opened.Value!.Course.IsEducator && submission.UserId != caller.UserId)
        {
            return NoSuchSubmission;
        }
        return (submission, opened.Value);
    }

    public Problem NoSuchAssignment => Problem.NotFound("No such assignment.");
    public Problem NoSuchSubmission => Problem.NotFound("No such submission.");
}
