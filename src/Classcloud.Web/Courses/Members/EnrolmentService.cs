using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>Applying, deciding applications and leaving (seed 000 §3.4.2.1–2, fig. 69–72, 78–80, 84–88).</summary>
public sealed class EnrolmentService(
    ClasscloudDb db, CourseGate gate, SettingsService settings, Notifier notifier, AuditLog audit, TimeProvider time)
{
    public async Task<Outcome<ApplicationDto>> ApplyAsync(Caller caller, long courseId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Serializes joins to one course (capacity) on PostgreSQL; SQLite's write transaction already does.
        if (await db.Courses.Where(c => c.Id == courseId).ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, c => c.UpdatedAt), ct) == 0)
        {
            return gate.NoSuchCourse;
        }
        var access = (await gate.OpenAsync(courseId, caller, ct)).Value!;
        var course = access.Course;
        if (access.Teaches)
        {
            return Problem.Conflict("You teach this course, so you cannot apply to it.");
        }
        switch (access.Enrolment)
        {
            case EnrolmentStatus.Pending:
                return Problem.Conflict("You have already applied to this course; the educator has not decided yet.");
            case EnrolmentStatus.Accepted:
                return Problem.Conflict("You are already a member of this course.");
            case EnrolmentStatus.Rejected:
                return Problem.Conflict("The educator declined your application to this course.");
        }
        if (course.ArchivedAt is not null)
        {
            return gate.Archived;
        }
        if (course.JoinPolicy == JoinPolicy.InviteOnly)
        {
            return Problem.Forbidden("This course accepts members by invitation only.");
        }
        var quota = (await settings.GetAsync(ct)).MaxCoursesPerStudent;
        var joined = await db.Enrolments.CountAsync(e => e.UserId == caller.UserId && e.Status != EnrolmentStatus.Rejected, ct);
        if (joined >= quota)
        {
            return Problem.Conflict("You have joined or applied to {0} courses, the most allowed. Leave a course first.", quota);
        }
        var open = course.JoinPolicy == JoinPolicy.Open;
        if (open && await IsFullAsync(course, 1, ct))
        {
            return Full(course);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var enrolment = new Enrolment
        {
            CourseId = courseId,
            UserId = caller.UserId,
            Status = open ? EnrolmentStatus.Accepted : EnrolmentStatus.Pending,
            AppliedAt = now,
            DecidedAt = open ? now : null,
        };
        db.Enrolments.Add(enrolment);
        var actor = await notifier.ActorAsync(caller.UserId, ct);
        foreach (var educator in await EducatorIdsAsync(course, ct))
        {
            notifier.Add(educator, NotificationKind.ApplicationReceived, course, actor);
        }
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same person applied twice at the same moment: the unique index kept one.
            return Problem.Conflict("You have already applied to this course; the educator has not decided yet.");
        }
        return await DescribeAsync(enrolment, ct);
    }

    public async Task<Outcome<IReadOnlyList<ApplicationDto>>> ListApplicationsAsync(Caller caller, long courseId, string? status, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var wanted = Enum.TryParse<EnrolmentStatus>(status, ignoreCase: true, out var s) ? s : EnrolmentStatus.Pending;
        var rows = await (from e in db.Enrolments.AsNoTracking()
                          join u in db.Users on e.UserId equals u.Id
                          where e.CourseId == courseId && e.Status == wanted
                          orderby e.AppliedAt, e.Id
                          select new ApplicationDto(e.Id, new UserRef(u.Id, u.Name, u.Nickname), u.Email ?? "",
                              e.Status.ToString().ToLowerInvariant(), e.AppliedAt, e.DecidedAt))
            .Take(1000).ToListAsync(ct);
        return rows;
    }

    /// <summary>The educator's decision (fig. 85–87). Accepting twice is harmless; a decided application cannot be reversed here.</summary>
    public async Task<Outcome<ApplicationDto>> DecideAsync(Caller caller, long courseId, long applicationId, bool accept, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.Courses.Where(c => c.Id == courseId).ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, c => c.UpdatedAt), ct) == 0)
        {
            return gate.NoSuchCourse;
        }
        var access = (await gate.OpenAsync(courseId, caller, ct)).Value!;
        if (!access.IsEducator)
        {
            return gate.NotEducator;
        }
        var enrolment = await db.Enrolments.SingleOrDefaultAsync(e => e.Id == applicationId && e.CourseId == courseId, ct);
        if (enrolment is null)
        {
            return Problem.NotFound("No such application.");
        }
        var wanted = accept ? EnrolmentStatus.Accepted : EnrolmentStatus.Rejected;
        if (enrolment.Status == wanted)
        {
            return await DescribeAsync(enrolment, ct);
        }
        if (enrolment.Status != EnrolmentStatus.Pending)
        {
            return Problem.Conflict(accept
                ? "This application was rejected; the student cannot join this course."
                : "This student is already a member; remove them from the members page instead.");
        }
        if (accept && await IsFullAsync(access.Course, 1, ct))
        {
            return Full(access.Course);
        }
        enrolment.Status = wanted;
        enrolment.DecidedAt = time.GetUtcNow().UtcDateTime;
        notifier.Add(enrolment.UserId, accept ? NotificationKind.ApplicationAccepted : NotificationKind.ApplicationRejected,
            access.Course, await notifier.ActorAsync(caller.UserId, ct));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await DescribeAsync(enrolment, ct);
    }

    /// <summary>Everyone in the course with the educators marked (fig. 78, 88); seen by members only.</summary>
    public async Task<Outcome<IReadOnlyList<MemberDto>>> MembersAsync(Caller caller, long courseId, CancellationToken ct)
    {
        var opened = await gate.OpenAsMemberAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        var educator = access.IsEducator;
        var course = access.Course;
        var owner = await db.Users.AsNoTracking().Where(u => u.Id == course.OwnerId)
            .Select(u => new MemberDto(new UserRef(u.Id, u.Name, u.Nickname), "owner", u.Email, null, course.CreatedAt)).ToListAsync(ct);
        var co = await (from c in db.CoEducators.AsNoTracking()
                        join u in db.Users on c.UserId equals u.Id
                        where c.CourseId == courseId
                        orderby u.Name
                        select new MemberDto(new UserRef(u.Id, u.Name, u.Nickname), "coeducator", u.Email, null, c.AddedAt)).ToListAsync(ct);
        var students = await (from e in db.Enrolments.AsNoTracking()
                              join u in db.Users on e.UserId equals u.Id
                              where e.CourseId == courseId && e.Status == EnrolmentStatus.Accepted
                              orderby u.Name, u.Id
                              select new MemberDto(new UserRef(u.Id, u.Name, u.Nickname), "student",
                                  educator ? u.Email : null, educator ? e.StudentNumber : null, e.DecidedAt ?? e.AppliedAt))
            .Take(CourseLimits.MaxCapacity).ToListAsync(ct);
        return owner.Concat(co).Concat(students).ToList();
    }

    /// <summary>
    /// An educator removes a student (notified), or someone leaves: a student cancels the enrolment
    /// (fig. 79–80), an applicant withdraws, a co-educator steps down. The owner cannot leave.
    /// </summary>
    public async Task<Problem?> RemoveAsync(Caller caller, long courseId, long userId, CancellationToken ct)
    {
        var opened = await gate.OpenAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem;
        }
        var access = opened.Value!;
        var course = access.Course;
        var self = userId == caller.UserId;
        if (!self && !access.IsEducator)
        {
            return gate.NotEducator;
        }
        if (userId == course.OwnerId)
        {
            return Problem.Conflict("The course's owner cannot leave it; delete the course instead.");
        }
        var co = await db.CoEducators.SingleOrDefaultAsync(c => c.CourseId == courseId && c.UserId == userId, ct);
        if (co is not null)
        {
            if (!self && !access.IsOwner && !caller.IsAdmin)
            {
                return gate.NotOwner;
            }
            db.CoEducators.Remove(co);
        }
        var enrolment = await db.Enrolments.SingleOrDefaultAsync(e => e.CourseId == courseId && e.UserId == userId, ct);
        // A rejection stays on record: deleting it would let the student apply again (fig. 87).
        if (enrolment is not null && enrolment.Status != EnrolmentStatus.Rejected && (self || enrolment.Status == EnrolmentStatus.Accepted))
        {
            db.Enrolments.Remove(enrolment);
            if (!self && enrolment.Status == EnrolmentStatus.Accepted)
            {
                notifier.Add(userId, NotificationKind.RemovedFromCourse, course, await notifier.ActorAsync(caller.UserId, ct));
            }
        }
        else if (co is null)
        {
            return Problem.NotFound(self ? "You are not a member of this course." : "This person is not a member of this course.");
        }
        audit.Record(CourseAudit.Remove, $"course {courseId}", self ? "left" : $"user {userId}");
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The owner and co-educators, who decide applications.</summary>
    public async Task<List<long>> EducatorIdsAsync(Course course, CancellationToken ct)
    {
        var co = await db.CoEducators.Where(c => c.CourseId == course.Id).Select(c => c.UserId).ToListAsync(ct);
        return [course.OwnerId, .. co];
    }

    public async Task<bool> IsFullAsync(Course course, int adding, CancellationToken ct) =>
        course.Capacity is { } capacity &&
        await db.Enrolments.CountAsync(e => e.CourseId == course.Id && e.Status == EnrolmentStatus.Accepted, ct) + adding > capacity;

    static Problem Full(Course course) => Problem.Conflict("This course is full ({0} students).", course.Capacity ?? 0);

    async Task<ApplicationDto> DescribeAsync(Enrolment e, CancellationToken ct)
    {
        var u = await db.Users.AsNoTracking().SingleAsync(u => u.Id == e.UserId, ct);
        return new ApplicationDto(e.Id, new UserRef(u.Id, u.Name, u.Nickname), u.Email ?? "", e.Status.ToString().ToLowerInvariant(), e.AppliedAt, e.DecidedAt);
    }
}
