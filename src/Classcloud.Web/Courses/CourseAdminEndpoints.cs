using System.Security.Claims;
using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>Administrators see, search and delete every course (seed 000 §3.5.6).</summary>
public static class CourseAdminEndpoints
{
    public static void MapCourseAdminApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/admin/courses").RequireAuthorization(Policies.Admin).WithTags("Admin");
        api.MapGet("/", SearchAsync);
        api.MapDelete("/{id:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, ClaimsPrincipal user, CourseDeletion deletion, CancellationToken ct) =>
            CourseEndpoints.Done(await deletion.DeleteAsync(Caller.From(user), id, ct)));
    }

    static async Task<Ok<Paged<AdminCourseDto>>> SearchAsync(string? q, int? page, int? pageSize, CourseAdminService admin, IOptions<LimitsOptions> limits, CancellationToken ct) =>
        TypedResults.Ok(await admin.SearchAsync(q, page, pageSize, limits.Value.MaxPageSize, ct));
}
