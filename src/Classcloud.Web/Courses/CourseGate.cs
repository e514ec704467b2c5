using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>Loads a course or post with the caller's relation to it, and words the usual refusals.</summary>
public sealed class CourseGate(ClasscloudDb db)
{
    public async Task<Outcome<CourseAccess>> OpenAsync(long courseId, Caller caller, CancellationToken ct)
    {
        var course = await db.Courses.SingleOrDefaultAsync(c => c.Id == courseId, ct);
        if (course is null)
        {
            return NoSuchCourse;
        }
        return await AccessAsync(course, caller, ct);
    }

    /// <summary>The course, if the caller is one of its educators (or an administrator).</summary>
    public async Task<Outcome<CourseAccess>> OpenAsEducatorAsync(long courseId, Caller caller, CancellationToken ct)
    {
        var opened = await OpenAsync(courseId, caller, ct);
        return !opened.Succeeded || opened.Value!.IsEducator ? opened : NotEducator;
    }

    /// <summary>The course, if the caller is a member (educators included).</summary>
    public async Task<Outcome<CourseAccess>> OpenAsMemberAsync(long courseId, Caller caller, CancellationToken ct)
    {
        var opened = await OpenAsync(courseId, caller, ct);
        return !opened.Succeeded || opened.Value!.IsMember ? opened : NotMember;
    }

    public async Task<CourseAccess> AccessAsync(Course course, Caller caller, CancellationToken ct)
    {
        var co = await db.CoEducators.AnyAsync(c => c.CourseId == course.Id && c.UserId == caller.UserId, ct);
        var enrolment = await db.Enrolments.Where(e => e.CourseId == course.Id && e.UserId == caller.UserId)
            .Select(e => (EnrolmentStatus?)e.Status).SingleOrDefaultAsync(ct);
        return new CourseAccess(course, caller, co, enrolment);
    }

    /// <summary>
    /// A post the caller may read: outsiders of the course are refused (403); a post they may not
    /// see (for educators only, or hidden) does not exist for them (404), so its title never leaks.
    /// </summary>
    public async Task<Outcome<PostAccess>> OpenPostAsync(long postId, Caller caller, CancellationToken ct)
    {
        var post = await db.Posts.SingleOrDefaultAsync(p => p.Id == postId, ct);
        if (post is null)
        {
            return NoSuchPost;
        }
        var course = await db.Courses.SingleAsync(c => c.Id == post.CourseId, ct);
        var access = await AccessAsync(course, caller, ct);
        if (!access.IsMember)
        {
            return NotMember;
        }
        return access.CanSee(post) ? new PostAccess(post, access) : NoSuchPost;
    }

    public Problem NoSuchCourse => Problem.NotFound("No such course.");

    public Problem NoSuchPost => Problem.NotFound("No such post.");

    public Problem NotMember => Problem.Forbidden("Only members of this course can do this.");

    public Problem NotEducator => Problem.Forbidden("Only the educators of this course can do this.");

    /// <summary>An archived course is read-only: nothing new is written into it until an educator reopens it.</summary>
    public Problem Archived => Problem.Conflict("This course is archived and read-only.");

    public Problem NotOwner => Problem.Forbidden("Only the educator who created this course can do this.");
}
