using Classcloud.Web.Accounts;
using Classcloud.Web.Admin;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Classcloud.Web.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>Creating, finding, changing and deleting courses (seed 000 §3.4.2, CLASS01–CLASS07).</summary>
public sealed class CourseService(
    ClasscloudDb db, CourseGate gate, AccountValidation validate, SettingsService settings, AuditLog audit,
    Notifier notifier, BoardCounts boards, AttachmentStore files, IEnumerable<ICourseDeletionListener> listeners,
    IOptions<WorkspacesOptions> workspaces, IStringLocalizer<SharedResource> t, TimeProvider time)
{
    public async Task<Outcome<CourseDto>> CreateAsync(Caller caller, CourseRequest request, CancellationToken ct)
    {
        var problem = Validate(request, out var policy);
        if (problem is not null)
        {
            return problem;
        }
        var quota = (await settings.GetAsync(ct)).MaxCoursesPerEducator;
        if (!caller.IsAdmin && await db.Courses.CountAsync(c => c.OwnerId == caller.UserId, ct) >= quota)
        {
            return Problem.Conflict("You already have {0} courses, the most an educator may create. Delete one or ask an administrator.", quota);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var course = new Course
        {
            Name = request.Name!.Trim(),
            Description = request.Description!.Trim(),
            Section = Blank(request.Section),
            Capacity = request.Capacity,
            JoinPolicy = policy ?? JoinPolicy.Approval,
            IdleSuspendMinutes = request.IdleSuspendMinutes,
            IdleStopMinutes = request.IdleStopMinutes,
            OwnerId = caller.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Courses.Add(course);
        await db.SaveChangesAsync(ct);
        boards.AddBoards(course.Id);
        await audit.RecordAndSaveAsync(CourseAudit.Create, $"course {course.Id}", course.Name, null, null, ct);
        return (await GetAsync(caller, course.Id, ct)).Value!;
    }

    public async Task<Paged<CourseDto>> SearchAsync(Caller caller, CourseQuery query, int maxPageSize, CancellationToken ct)
    {
        var (page, size) = Paging.Clamp(query.Page, query.PageSize, maxPageSize);
        var me = caller.UserId;
        var q = db.Courses.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var text = query.Q.Trim();
            text = text.Length > CourseLimits.Name ? text[..CourseLimits.Name] : text;
            q = q.Where(c => c.Name.Contains(text));
        }
        if (query.Mine == true)
        {
            // "My courses" lists only courses the caller teaches or was accepted into (seed 000 fig. 73).
            q = q.Where(c => c.OwnerId == me
                || db.CoEducators.Any(x => x.CourseId == c.Id && x.UserId == me)
                || db.Enrolments.Any(e => e.CourseId == c.Id && e.UserId == me && e.Status == EnrolmentStatus.Accepted));
        }
        var total = await q.CountAsync(ct);
        var ids = await q.OrderByDescending(c => c.Id).Skip((page - 1) * size).Take(size).Select(c => c.Id).ToListAsync(ct);
        var items = await DescribeAsync(caller, ids, ct);
        return new Paged<CourseDto>(items, page, size, total);
    }

    public async Task<Outcome<CourseDto>> GetAsync(Caller caller, long id, CancellationToken ct)
    {
        var items = await DescribeAsync(caller, [id], ct);
        return items.Count == 1 ? items[0] : gate.NoSuchCourse;
    }

    public async Task<Outcome<CourseDto>> UpdateAsync(Caller caller, long id, CourseRequest request, CancellationToken ct)
    {
        var opened = await gate.OpenAsEducatorAsync(id, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        var problem = Validate(request, out var policy);
        if (problem is not null)
        {
            return problem;
        }
        var course = access.Course;
        course.Name = request.Name!.Trim();
        course.Description = request.Description!.Trim();
        course.Section = Blank(request.Section);
        course.Capacity = request.Capacity;
        course.JoinPolicy = policy ?? course.JoinPolicy;
        course.IdleSuspendMinutes = request.IdleSuspendMinutes;
        course.IdleStopMinutes = request.IdleStopMinutes;
        course.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record(CourseAudit.Update, $"course {course.Id}", course.Name);
        await db.SaveChangesAsync(ct);
        return (await GetAsync(caller, id, ct)).Value!;
    }

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
        var people = await MemberIdsAsync(id, ct);
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

    /// <summary>Everyone who belongs to the course: owner, co-educators and accepted students.</summary>
    public async Task<List<long>> MemberIdsAsync(long courseId, CancellationToken ct)
    {
        var owner = await db.Courses.Where(c => c.Id == courseId).Select(c => c.OwnerId).ToListAsync(ct);
        var co = await db.CoEducators.Where(c => c.CourseId == courseId).Select(c => c.UserId).ToListAsync(ct);
        var students = await db.Enrolments.Where(e => e.CourseId == courseId && e.Status == EnrolmentStatus.Accepted)
            .Select(e => e.UserId).ToListAsync(ct);
        return owner.Concat(co).Concat(students).Distinct().ToList();
    }

    async Task<List<CourseDto>> DescribeAsync(Caller caller, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var me = caller.UserId;
        var rows = await db.Courses.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new
            {
                Course = c,
                Owner = db.Users.Where(u => u.Id == c.OwnerId).Select(u => new UserRef(u.Id, u.Name, u.Nickname)).First(),
                Members = db.Enrolments.Count(e => e.CourseId == c.Id && e.Status == EnrolmentStatus.Accepted),
                Mine = db.Enrolments.Where(e => e.CourseId == c.Id && e.UserId == me).Select(e => (EnrolmentStatus?)e.Status).FirstOrDefault(),
                Co = db.CoEducators.Any(x => x.CourseId == c.Id && x.UserId == me),
            })
            .ToListAsync(ct);
        return rows.OrderByDescending(r => r.Course.Id).Select(r =>
        {
            var c = r.Course;
            var status = new CourseAccess(c, caller, r.Co, r.Mine).Status;
            return new CourseDto(c.Id, c.Name, c.Description, c.Section, c.Capacity, CourseNames.Of(c.JoinPolicy), r.Owner, r.Members, status, c.CreatedAt,
                c.IdleSuspendMinutes, c.IdleStopMinutes, c.ArchivedAt);
        }).ToList();
    }

    Problem? Validate(CourseRequest request, out JoinPolicy? policy)
    {
        policy = null;
        var problem = validate.Text(request.Name, "Course name", CourseLimits.Name)
            ?? validate.Text(request.Description, "Description", CourseLimits.Description);
        if (problem is not null)
        {
            return problem;
        }
        if (request.Section is { Length: > 0 } section && (section.Length > CourseLimits.Section || section.Any(char.IsControl)))
        {
            return Problem.BadRequest("{0} must be at most {1} characters.", t["Section"], CourseLimits.Section);
        }
        if (request.Capacity is { } capacity && capacity is < 1 or > CourseLimits.MaxCapacity)
        {
            return Problem.BadRequest("Capacity must be between 1 and {0}, or empty for no limit.", CourseLimits.MaxCapacity);
        }
        if (request.JoinPolicy is not null)
        {
            policy = CourseNames.ParseJoinPolicy(request.JoinPolicy);
            if (policy is null)
            {
                return Problem.BadRequest("Joining must be 'approval', 'open' or 'invite-only'.");
            }
        }
        return ValidateIdle(request);
    }

    /// <summary>
    /// Course idle overrides: each within its bounds, and the suspend time (as it will apply, override or
    /// installation default) no longer than the stop time — else the workspace would be stopped first and never suspended.
    /// </summary>
    Problem? ValidateIdle(CourseRequest request)
    {
        if (request.IdleSuspendMinutes is { } suspend && suspend is < CourseLimits.MinIdleMinutes or > CourseLimits.MaxIdleSuspendMinutes)
        {
            return Problem.BadRequest("The idle time before suspending must be between {0} and {1} minutes, or empty for the installation default.",
                CourseLimits.MinIdleMinutes, CourseLimits.MaxIdleSuspendMinutes);
        }
        if (request.IdleStopMinutes is { } stop && stop is < CourseLimits.MinIdleMinutes or > CourseLimits.MaxIdleStopMinutes)
        {
            return Problem.BadRequest("The idle time before stopping must be between {0} and {1} minutes, or empty for the installation default.",
                CourseLimits.MinIdleMinutes, CourseLimits.MaxIdleStopMinutes);
        }
        if (request.IdleSuspendMinutes is null && request.IdleStopMinutes is null)
        {
            return null;
        }
        var o = workspaces.Value;
        var effectiveSuspend = request.IdleSuspendMinutes is { } s ? TimeSpan.FromMinutes(s) : o.IdleSuspendAfter;
        var effectiveStop = request.IdleStopMinutes is { } p ? TimeSpan.FromMinutes(p) : o.IdleStopAfter;
        if (effectiveSuspend > TimeSpan.Zero && effectiveStop > TimeSpan.Zero && effectiveSuspend > effectiveStop)
        {
            return Problem.BadRequest("The idle time before suspending ({0} min) must not be longer than the idle time before stopping ({1} min).",
                (int)effectiveSuspend.TotalMinutes, (int)effectiveStop.TotalMinutes);
        }
        return null;
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A feature that links things to courses (e.g. workspaces) unlinks them when a course is deleted.</summary>
public interface ICourseDeletionListener
{
    Task CourseDeletingAsync(long courseId, CancellationToken ct);
}

public static class CourseAudit
{
    public const string Create = "course.create";
    public const string Update = "course.update";
    public const string Delete = "course.delete";
    public const string Remove = "course.member-remove";
    public const string CoEducator = "course.coeducator";
    public const string Roster = "course.roster-import";
    public const string GroupDelete = "group.delete";
}
