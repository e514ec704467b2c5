using System.Security.Claims;
using Classcloud.Web.Accounts;
using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Courses;

public sealed record AdminCourseDto(long Id, string Name, string Description, string? Section, UserRef Owner, string OwnerEmail, int Members, int Posts, DateTime CreatedAt);

/// <summary>Administrators see, search and delete every course (seed 000 §3.5.6).</summary>
public static class CourseAdminEndpoints
{
    public static void MapCourseAdminApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/admin/courses").RequireAuthorization(Policies.Admin).WithTags("Admin");
        api.MapGet("/", SearchAsync);
        api.MapDelete("/{id:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, ClaimsPrincipal user, CourseService courses, CancellationToken ct) =>
            CourseEndpoints.Done(await courses.DeleteAsync(Caller.From(user), id, ct)));
    }

    /// <summary>Search by course name, owner name or owner e-mail.</summary>
    static async Task<Ok<Paged<AdminCourseDto>>> SearchAsync(string? q, int? page, int? pageSize, ClasscloudDb db, IOptions<LimitsOptions> limits, CancellationToken ct)
    {
        var (number, size) = Paging.Clamp(page, pageSize, limits.Value.MaxPageSize);
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
        return TypedResults.Ok(new Paged<AdminCourseDto>(rows, number, size, total));
    }
}
