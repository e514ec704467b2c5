using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>
/// Creating, finding and changing courses (seed 000 §3.4.2, CLASS01–CLASS07).
/// Deleting is <see cref="CourseDeletion"/>'s, the rules a course must meet <see cref="CourseRules"/>'.
/// </summary>
public sealed class CourseService(ClasscloudDb db, CourseGate gate, CourseRules rules, AuditLog audit, BoardCounts boards, TimeProvider time)
{
    public async Task<Outcome<CourseDto>> CreateAsync(Caller caller, CourseRequest request, CancellationToken ct)
    {
        var problem = rules.Check(request, out var policy) ?? await rules.QuotaAsync(caller, ct);
        if (problem is not null)
        {
            return problem;
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
        var problem = rules.Check(request, out var policy);
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
