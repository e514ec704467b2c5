using System.Security.Claims;
using Classcloud.Web.Courses;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Rollover;

/// <summary>Semester rollover (issue 16): archive a course at term end, reopen it, copy it to a new term.</summary>
public static class RolloverSetup
{
    public static WebApplicationBuilder AddRollover(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CourseArchiveService>();
        builder.Services.AddScoped<CourseCopyService>();
        return builder;
    }

    public static WebApplication MapRollover(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/courses").RequireAuthorization().WithTags("Courses");
        api.MapPost("/{id:long}/archive", ArchiveAsync);
        api.MapDelete("/{id:long}/archive", ReopenAsync);
        api.MapPost("/{id:long}/copy", CopyAsync).RequireAuthorization(Accounts.Policies.Educator);
        return app;
    }

    // The body is optional: an empty POST archives without touching workspaces.
    static async Task<Results<Ok<CourseDto>, ProblemHttpResult>> ArchiveAsync(
        long id, ArchiveRequest? request, ClaimsPrincipal user, CourseArchiveService archive, CancellationToken ct) =>
        CourseEndpoints.Reply(await archive.ArchiveAsync(Caller.From(user), id, request ?? new ArchiveRequest(), ct));

    static async Task<Results<Ok<CourseDto>, ProblemHttpResult>> ReopenAsync(long id, ClaimsPrincipal user, CourseArchiveService archive, CancellationToken ct) =>
        CourseEndpoints.Reply(await archive.ReopenAsync(Caller.From(user), id, ct));

    static async Task<Results<Created<CourseDto>, ProblemHttpResult>> CopyAsync(
        long id, CopyCourseRequest? request, ClaimsPrincipal user, CourseCopyService copies, CancellationToken ct)
    {
        var outcome = await copies.CopyAsync(Caller.From(user), id, request ?? new CopyCourseRequest(), ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/courses/{outcome.Value!.Course.Id}", outcome.Value.Course)
            : outcome.Problem!.ToResult();
    }
}
