using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>The owner names other approved educators to teach the course with them (issue 6).</summary>
public sealed class CoEducatorService(
    ClasscloudDb db, CourseGate gate, UserManager<User> users, AuditLog audit, TimeProvider time)
{
    public async Task<Outcome<MemberDto>> AddAsync(Caller caller, long courseId, CoEducatorRequest request, CancellationToken ct)
    {
        var opened = await gate.OpenAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (!access.IsOwner && !caller.IsAdmin)
        {
            return gate.NotOwner;
        }
        User? user = null;
        if (request.UserId is { } id)
        {
            user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        }
        else if (!string.IsNullOrWhiteSpace(request.Email) && request.Email.Length <= AccountLimits.Email)
        {
            var normalized = users.NormalizeEmail(request.Email.Trim());
            user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        }
        else
        {
            return Problem.BadRequest("Give the co-educator's user id or e-mail address.");
        }
        if (user is null)
        {
            return Problem.NotFound("No such user.");
        }
        if (!user.IsApprovedEducator || !user.EmailConfirmed)
        {
            return Problem.BadRequest("Only approved educators can teach a course.");
        }
        if (user.Id == access.Course.OwnerId || await db.CoEducators.AnyAsync(c => c.CourseId == courseId && c.UserId == user.Id, ct))
        {
            return Problem.Conflict("{0} already teaches this course.", user.Name);
        }
        // A student who becomes a teacher of the course is no longer enrolled in it.
        await db.Enrolments.Where(e => e.CourseId == courseId && e.UserId == user.Id).ExecuteDeleteAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        db.CoEducators.Add(new CoEducator { CourseId = courseId, UserId = user.Id, AddedAt = now });
        audit.Record(CourseAudit.CoEducator, $"course {courseId}", $"added {user.Email}");
        await db.SaveChangesAsync(ct);
        return new MemberDto(new UserRef(user.Id, user.Name, user.Nickname), "coeducator", user.Email, null, now);
    }

    /// <summary>The owner (or an administrator) removes a co-educator; a co-educator may step down.</summary>
    public async Task<Problem?> RemoveAsync(Caller caller, long courseId, long userId, CancellationToken ct)
    {
        var opened = await gate.OpenAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem;
        }
        var access = opened.Value!;
        if (!access.IsOwner && !caller.IsAdmin && userId != caller.UserId)
        {
            return access.IsEducator ? gate.NotOwner : gate.NotEducator;
        }
        var row = await db.CoEducators.SingleOrDefaultAsync(c => c.CourseId == courseId && c.UserId == userId, ct);
        if (row is null)
        {
            return Problem.NotFound("This person is not a co-educator of this course.");
        }
        db.CoEducators.Remove(row);
        audit.Record(CourseAudit.CoEducator, $"course {courseId}", $"removed user {userId}");
        await db.SaveChangesAsync(ct);
        return null;
    }
}
