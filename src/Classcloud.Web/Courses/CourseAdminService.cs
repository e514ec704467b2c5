using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Courses;

public sealed record AdminCourseDto(long Id, string Name, string Description, string? Section, UserRef Owner, string OwnerEmail, int Members, int Posts, DateTime CreatedAt);

/// <summary>Every course for administrators (seed 000 §3.5.6); deleting goes through CourseService like the owner's.</summary>
public sealed class CourseAdminService(ClasscloudDb db)
{
    /// <summary>Search by course name, owner name or owner e-mail.</summary>
    public async Task<Paged<AdminCourseDto>> SearchAsync(string? q, int? page, int? pageSize, int maxPageSize, CancellationToken ct)
    {
        var (number, size) = Paging.Clamp(page, pageSize, maxPageSize);
        var query = from c in db.Courses.AsNoTracking()
                    join u in db.Users on c.OwnerId equals u.Id
                    select new { c, u };
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            text = text.Length > 100 ? text[..100] : text;
            var upper = text.ToUpperInvariant();
            query = query.Where(x => x.c.Name.Contains(text) || x.u.Name.Contains(text) || x.u.NormalizedEmail!.Contains(upper));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(x => x.c.Id).Skip((number - 1) * size).Take(size)
            .Select(x => new AdminCourseDto(x.c.Id, x.c.Name, x.c.Description, x.c.Section, new UserRef(x.u.Id, x.u.Name, x.u.Nickname), x.u.Email ?? "",
                db.Enrolments.Count(e => e.CourseId == x.c.Id && e.Status == EnrolmentStatus.Accepted),
                db.Posts.Count(p => p.CourseId == x.c.Id), x.c.CreatedAt))
            .ToListAsync(ct);
        return new Paged<AdminCourseDto>(rows, number, size, total);
    }
}
