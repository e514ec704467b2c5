using System.Globalization;
using Classcloud.Web.Accounts;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Classcloud.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Lti;

/// <summary>Where a launch lands, and a sentence for the person when it could not do all it was asked.</summary>
public sealed record LtiLanding(string Url, string? Notice = null, long? CourseId = null);

/// <summary>
/// The LMS course (context) of a launch → its Classcloud course, and membership by role: a learner becomes an
/// accepted student; an instructor teaches the course (as a co-educator) only when their account is an approved
/// educator, the rule every co-educator follows (CoEducatorService).
/// </summary>
public sealed class LtiCourses(ClasscloudDb db, CourseGate gate, AuditLog audit, TimeProvider time)
{
    public async Task<LtiLanding> EnterAsync(LtiLaunch launch, User user, CancellationToken ct)
    {
        var course = await CourseOfAsync(launch, user, ct);
        if (course is null)
        {
            return new LtiLanding("/", launch.IsInstructor
                ? "This course of the learning platform is not placed on a Classcloud course yet. Place one with the platform's content selection (deep linking), or add the custom parameter classcloud_course."
                : "This course of the learning platform is not linked to a Classcloud course yet. Ask your teacher to place one.");
        }
        await RememberServicesAsync(launch, ct);
        var notice = launch.IsInstructor ? await TeachAsync(course, user, ct) : launch.IsLearner ? await EnrolAsync(course, user, ct) : null;
        return new LtiLanding(Target(launch) ?? $"/courses/{course.Id}", notice, course.Id);
    }

    async Task<Course?> CourseOfAsync(LtiLaunch launch, User user, CancellationToken ct)
    {
        if (launch.ContextId is not { } context)
        {
            return null;
        }
        var linked = await db.Set<LtiContextLink>().Where(l => l.PlatformId == launch.Platform.Id && l.ContextId == context)
            .Select(l => (long?)l.CourseId).SingleOrDefaultAsync(ct);
        if (linked is { } id)
        {
            return await db.Courses.SingleOrDefaultAsync(c => c.Id == id, ct);
        }
        // The custom parameter is set by whoever edits the LMS course, so it links only when the launching teacher
        // teaches that Classcloud course: otherwise any LMS course could enrol its learners anywhere.
        if (!launch.IsInstructor || !launch.Custom.TryGetValue(LtiClaims.CourseParameter, out var raw)
            || !long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var courseId))
        {
            return null;
        }
        var access = await gate.OpenAsync(courseId, new Caller(user.Id, user.Role == AccountRole.Admin), ct);
        if (!access.Succeeded || !access.Value!.IsEducator || !user.IsApprovedEducator)
        {
            return null;
        }
        await LinkAsync(launch.Platform.Id, context, courseId, ct);
        return access.Value.Course;
    }

    /// <summary>Places an LMS course on a Classcloud course (deep linking, or a teacher's launch with the custom parameter).</summary>
    public async Task LinkAsync(long platformId, string contextId, long courseId, CancellationToken ct)
    {
        var row = await db.Set<LtiContextLink>().SingleOrDefaultAsync(l => l.PlatformId == platformId && l.ContextId == contextId, ct);
        if (row is null)
        {
            row = new LtiContextLink { PlatformId = platformId, ContextId = contextId };
            db.Add(row);
        }
        row.CourseId = courseId;
        row.CreatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record("lti.context.link", $"course {courseId}", $"platform {platformId} context {contextId}");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The platform signed these URLs; they are kept for the roster sync and the grade passback.</summary>
    async Task RememberServicesAsync(LtiLaunch launch, CancellationToken ct)
    {
        if (launch.ContextId is not { } context || (launch.MembershipsUrl is null && launch.LineItemsUrl is null))
        {
            return;
        }
        var usable = (string? url) => url is { Length: <= LtiLimits.Url } && Uri.TryCreate(url, UriKind.Absolute, out var u) && LtiPlatforms.IsAllowedScheme(u) ? url : null;
        var row = await db.Set<LtiContextLink>().SingleOrDefaultAsync(l => l.PlatformId == launch.Platform.Id && l.ContextId == context, ct);
        if (row is not null)
        {
            row.MembershipsUrl = usable(launch.MembershipsUrl) ?? row.MembershipsUrl;
            row.LineItemsUrl = usable(launch.LineItemsUrl) ?? row.LineItemsUrl;
            await db.SaveChangesAsync(ct);
        }
    }

    public async Task<string?> TeachAsync(Course course, User user, CancellationToken ct)
    {
        if (course.OwnerId == user.Id || user.Role == AccountRole.Admin
            || await db.CoEducators.AnyAsync(c => c.CourseId == course.Id && c.UserId == user.Id, ct))
        {
            return null;
        }
        if (!user.IsApprovedEducator)
        {
            return "Your educator account is waiting for an administrator's approval; you will teach this course in Classcloud once it is approved.";
        }
        await db.Enrolments.Where(e => e.CourseId == course.Id && e.UserId == user.Id).ExecuteDeleteAsync(ct);
        db.CoEducators.Add(new CoEducator { CourseId = course.Id, UserId = user.Id, AddedAt = time.GetUtcNow().UtcDateTime });
        audit.Record(CourseAudit.CoEducator, $"course {course.Id}", $"added {user.Email} via LTI");
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The platform's roster is the authority for its course: a learner is accepted, overriding an open or refused application.</summary>
    public async Task<string?> EnrolAsync(Course course, User user, CancellationToken ct)
    {
        if (course.OwnerId == user.Id || await db.CoEducators.AnyAsync(c => c.CourseId == course.Id && c.UserId == user.Id, ct))
        {
            return null;
        }
        var enrolment = await db.Enrolments.SingleOrDefaultAsync(e => e.CourseId == course.Id && e.UserId == user.Id, ct);
        if (enrolment?.Status == EnrolmentStatus.Accepted)
        {
            return null;
        }
        if (course.ArchivedAt is not null)
        {
            return "This course has ended in Classcloud and takes no new students.";
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (enrolment is null)
        {
            enrolment = new Enrolment { CourseId = course.Id, UserId = user.Id, AppliedAt = now };
            db.Enrolments.Add(enrolment);
        }
        enrolment.Status = EnrolmentStatus.Accepted;
        enrolment.DecidedAt = now;
        audit.Record("lti.enrol", $"course {course.Id}", $"{user.Email} as a student via LTI");
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>What a placed link opens; every page checks the person's access itself.</summary>
    static string? Target(LtiLaunch launch)
    {
        if (!launch.Custom.TryGetValue(LtiClaims.TargetParameter, out var target) || target.Split(':') is not [var kind, var raw]
            || !long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }
        return kind switch
        {
            "course" => $"/courses/{id}",
            "workspace" => $"/workspaces/{id}",
            "assignment" => $"/assignments/{id}",
            "environments" => $"/courses/{id}/environments",
            _ => null,
        };
    }
}
